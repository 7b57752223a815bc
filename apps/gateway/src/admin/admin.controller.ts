import { Body, Controller, Get, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiError } from '@postline/http';
import { AdminGuard } from '../auth/admin.guard';
import { SenderIdentitiesService } from '../senders/sender-identities.service';
import { AccountsService } from './accounts.service';
import { AddSenderDto } from './dto/add-sender.dto';
import { CreateAccountDto } from './dto/create-account.dto';

const accountId = () => new ParseUUIDPipe({ exceptionFactory: () => ApiError.notFound('Account') });

@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminGuard)
@Controller('admin/accounts')
export class AdminController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly senders: SenderIdentitiesService,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create an account with its first operator and API key (shown once)' })
  create(@Body() dto: CreateAccountDto) {
    return this.accounts.create(dto.name, dto.operatorName);
  }

  @Get(':id')
  @ApiOperation({ summary: 'An account with its operators, key prefixes and sender identities' })
  get(@Param('id', accountId()) id: string) {
    return this.accounts.view(id);
  }

  @Post(':id/senders')
  @ApiOperation({ summary: 'Add a sender identity (address or domain) and start its verification' })
  async addSender(@Param('id', accountId()) id: string, @Body() dto: AddSenderDto) {
    await this.accounts.requireAccount(id);
    return this.senders.view(await this.senders.add(id, dto.identity));
  }
}
