import { Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiEnvelopeResponse, ApiError, ApiErrorResponses } from '@postline/http';
import { AccountsService } from '../admin/accounts.service';
import { AdminGuard } from '../auth/admin.guard';
import { SenderIdentitiesService } from './sender-identities.service';
import { SenderRemovedView } from './dto/sender-removed.view';
import { SenderViewDoc } from './dto/sender.view';
import type { SenderView } from './sender-view';

const accountId = () => new ParseUUIDPipe({ exceptionFactory: () => ApiError.notFound('Account') });
const senderId = () => new ParseUUIDPipe({ exceptionFactory: () => ApiError.notFound('Sender identity') });

/** The support team's view of an account's sender identities (adding one is POST /admin/accounts/{id}/senders). */
@ApiTags('admin')
@ApiBearerAuth('admin')
@ApiErrorResponses(400, 401, 503)
@UseGuards(AdminGuard)
@Controller('admin/accounts/:id/senders')
export class SendersAdminController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly senders: SenderIdentitiesService,
  ) {}

  @Get()
  @ApiOperation({ summary: "An account's sender identities with their state and DNS records" })
  @ApiEnvelopeResponse([SenderViewDoc])
  @ApiErrorResponses(404)
  async list(@Param('id', accountId()) id: string): Promise<SenderView[]> {
    await this.accounts.requireAccount(id);
    return (await this.senders.list(id)).map((s) => this.senders.view(s));
  }

  @Get(':senderId')
  @ApiOperation({ summary: 'One sender identity of an account' })
  @ApiEnvelopeResponse(SenderViewDoc)
  @ApiErrorResponses(404)
  async get(@Param('id', accountId()) id: string, @Param('senderId', senderId()) sender: string): Promise<SenderView> {
    return this.senders.view(await this.senders.find(id, sender));
  }

  @Post(':senderId/refresh')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Read the verification state of one identity from SES now' })
  @ApiEnvelopeResponse(SenderViewDoc)
  @ApiErrorResponses(404, 429)
  async refresh(
    @Param('id', accountId()) id: string,
    @Param('senderId', senderId()) sender: string,
  ): Promise<SenderView> {
    return this.senders.view(await this.senders.refresh(id, sender));
  }

  @Delete(':senderId')
  @ApiOperation({ summary: 'Remove a sender identity of an account' })
  @ApiEnvelopeResponse(SenderRemovedView)
  @ApiErrorResponses(404, 409, 429)
  remove(@Param('id', accountId()) id: string, @Param('senderId', senderId()) sender: string) {
    return this.senders.remove(id, sender);
  }
}
