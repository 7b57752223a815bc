import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiEnvelopeResponse, ApiError, ApiErrorResponses } from '@postline/http';
import { AdminGuard } from '../auth/admin.guard';
import { SenderViewDoc } from '../senders/dto/sender.view';
import { SenderIdentitiesService } from '../senders/sender-identities.service';
import { AccountsService } from './accounts.service';
import { AdminAccountListView } from './dto/admin-account-list.view';
import { AddSenderDto } from './dto/add-sender.dto';
import { AdminAccountView } from './dto/admin-account.view';
import { CreatedAccountView } from './dto/created-account.view';
import { CreateAccountDto } from './dto/create-account.dto';
import { ListAccountsQuery } from './dto/list-accounts.query';

const accountId = () => new ParseUUIDPipe({ exceptionFactory: () => ApiError.notFound('Account') });

@ApiTags('admin')
@ApiBearerAuth('admin')
@ApiErrorResponses(400, 401, 503)
@UseGuards(AdminGuard)
@Controller('admin/accounts')
export class AdminController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly senders: SenderIdentitiesService,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create an account with its first operator and API key (shown once)' })
  @ApiEnvelopeResponse(CreatedAccountView, { status: 201 })
  @ApiErrorResponses(413)
  create(@Body() dto: CreateAccountDto) {
    return this.accounts.create(dto.name, dto.operatorName);
  }

  @Get()
  @ApiOperation({
    summary: 'Accounts with their reputation state, newest first (filter by state for the review queue)',
  })
  @ApiEnvelopeResponse(AdminAccountListView)
  list(@Query() query: ListAccountsQuery): Promise<AdminAccountListView> {
    return this.accounts.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'An account with its operators, key prefixes and sender identities' })
  @ApiEnvelopeResponse(AdminAccountView)
  @ApiErrorResponses(404)
  get(@Param('id', accountId()) id: string) {
    return this.accounts.view(id);
  }

  @Post(':id/senders')
  @ApiOperation({ summary: 'Add a sender identity (address or domain) and start its verification' })
  @ApiEnvelopeResponse(SenderViewDoc, { status: 201 })
  @ApiErrorResponses(404, 409, 413, 422, 429)
  async addSender(@Param('id', accountId()) id: string, @Body() dto: AddSenderDto) {
    await this.accounts.requireAccount(id);
    return this.senders.view(await this.senders.add(id, dto.identity));
  }
}
