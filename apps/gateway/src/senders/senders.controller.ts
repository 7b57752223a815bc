import { Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiEnvelopeResponse, ApiError, ApiErrorResponses } from '@postline/http';
import { ApiKeyGuard } from '../auth/api-key.guard';
import type { Caller } from '../auth/caller';
import { CurrentCaller } from '../auth/current-caller.decorator';
import { SenderIdentitiesService } from './sender-identities.service';
import { SenderRemovedView } from './dto/sender-removed.view';
import { SenderViewDoc } from './dto/sender.view';
import type { SenderView } from './sender-view';

const senderId = () => new ParseUUIDPipe({ exceptionFactory: () => ApiError.notFound('Sender identity') });

@ApiTags('senders')
@ApiBearerAuth()
@ApiErrorResponses(400, 401, 503)
@UseGuards(ApiKeyGuard)
@Controller('senders')
export class SendersController {
  constructor(private readonly senders: SenderIdentitiesService) {}

  @Get()
  @ApiOperation({ summary: "The account's sender identities, their verification state and the DNS records to publish" })
  @ApiEnvelopeResponse([SenderViewDoc])
  async list(@CurrentCaller() caller: Caller): Promise<SenderView[]> {
    return (await this.senders.list(caller.accountId)).map((s) => this.senders.view(s));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One sender identity with its DNS records' })
  @ApiEnvelopeResponse(SenderViewDoc)
  @ApiErrorResponses(404)
  async get(@CurrentCaller() caller: Caller, @Param('id', senderId()) id: string): Promise<SenderView> {
    return this.senders.view(await this.senders.find(caller.accountId, id));
  }

  @Post(':id/refresh')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Ask SES for the verification state of one identity now' })
  @ApiEnvelopeResponse(SenderViewDoc)
  @ApiErrorResponses(404, 429)
  async refresh(@CurrentCaller() caller: Caller, @Param('id', senderId()) id: string): Promise<SenderView> {
    return this.senders.view(await this.senders.refresh(caller.accountId, id));
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Remove a sender identity (and the SES identity unless another account uses it)' })
  @ApiEnvelopeResponse(SenderRemovedView)
  @ApiErrorResponses(404, 409, 429)
  remove(@CurrentCaller() caller: Caller, @Param('id', senderId()) id: string) {
    return this.senders.remove(caller.accountId, id);
  }
}
