import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiHeader, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { ApiEnvelopeResponse, ApiError, ApiErrorResponses, BodyItemsCheckedByHandler } from '@postline/http';
import type { FastifyReply } from 'fastify';
import { ApiKeyGuard } from '../auth/api-key.guard';
import type { Caller } from '../auth/caller';
import { CurrentCaller } from '../auth/current-caller.decorator';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { CountsAs } from '../rate-limits/rate-limit-cost.decorator';
import { WEBHOOK_DELIVERY_DOC, WebhookEnvelopeDoc } from '../webhooks/dto/webhook-envelope.doc';
import { BatchViewDoc } from './dto/batch.view';
import { EmailDetailViewDoc } from './dto/email-detail.view';
import { EmailListViewDoc } from './dto/email-list.view';
import { EmailViewDoc } from './dto/email.view';
import { ListEmailsQuery } from './dto/list-emails.query';
import { MAX_BATCH, SendBatchDto } from './dto/send-batch.dto';
import { SendEmailDto } from './dto/send-email.dto';
import { SendEmailQuery } from './dto/send-email.query';
import { EmailsService, type IdempotencyClaim } from './emails.service';

const IdempotencyKeyHeader = () =>
  ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[!-~]+$' },
    description:
      '24 h per account: same key and body replays the first response; another body is 422; still running is 409.',
  });

/** What each callback URL of an email receives (documented as an OpenAPI callback of POST /emails). */
const statusCallback = () => {
  const header = (name: string, description: string) => ({
    name,
    in: 'header' as const,
    required: true,
    description,
    schema: { type: 'string' as const },
  });
  return {
    summary: 'A status change of the email, POSTed to each of its callback URLs',
    operationId: 'emailStatusCallback',
    description: WEBHOOK_DELIVERY_DOC,
    parameters: [
      header('webhook-id', 'The event id, the same on every retry'),
      header('webhook-timestamp', 'Epoch seconds of the attempt'),
      header('webhook-signature', '`v1,<base64 HMAC-SHA256>`, space-separated while two secrets sign'),
    ],
    requestBody: {
      required: true,
      content: { 'application/json': { schema: { $ref: getSchemaPath(WebhookEnvelopeDoc) } } },
    },
    responses: {
      '200': { description: 'Any 2xx within 15 s: delivered' },
      '410': { description: 'Gone: no more retries to this URL for this event' },
    },
    security: [],
  };
};

@ApiTags('emails')
@ApiBearerAuth()
@ApiErrorResponses(400, 401, 503)
@UseGuards(ApiKeyGuard)
@Controller('emails')
export class EmailsController {
  constructor(
    private readonly emails: EmailsService,
    private readonly idempotency: IdempotencyService,
  ) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Send an email',
    description:
      'Stores and queues the email. A well-formed email that cannot be sent is stored with its terminal status ' +
      '(BAD_FROM, BAD_TO, BLACKLISTED, BLOCKED_DUE_BAD_BEHAVIOUR) and a statusReason; a malformed request is 400 and nothing is stored. ' +
      'With `templateId` (404 when the account has no such template or version) or inline placeholders and `variables`, the sender ' +
      'renders the message; a placeholder it cannot fill ends the email INCOMPLETE, never sent.',
    callbacks: { emailStatus: { '{$request.body#/callbacks}': { post: statusCallback() } } },
  })
  @ApiExtraModels(WebhookEnvelopeDoc)
  @IdempotencyKeyHeader()
  @ApiEnvelopeResponse(EmailViewDoc, { status: 201, description: 'Accepted (QUEUED) or stored with a terminal status' })
  @ApiErrorResponses(404, 409, 413, 422)
  async send(
    @CurrentCaller() caller: Caller,
    @Body() dto: SendEmailDto,
    @Query() query: SendEmailQuery,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.idempotent(caller, idempotencyKey, { dto, query }, HttpStatus.CREATED, reply, (claim) =>
      this.emails.send(caller, dto, query.unsubscribeMsg, claim),
    );
  }

  @Post('batch')
  @HttpCode(HttpStatus.OK)
  // Each message counts against the rate limits (capped at the batch maximum: more is refused by validation).
  @CountsAs((body) => {
    const messages = (body as { messages?: unknown } | undefined)?.messages;
    return Array.isArray(messages) ? Math.min(Math.max(messages.length, 1), MAX_BATCH) : 1;
  })
  @BodyItemsCheckedByHandler()
  @ApiOperation({
    summary: 'Send up to 1,000 emails',
    description:
      'One result per message, in order: `status` 201 with the email, or 400 with the error of that message alone.',
  })
  @IdempotencyKeyHeader()
  @ApiEnvelopeResponse(BatchViewDoc, { description: 'One result per message' })
  @ApiErrorResponses(409, 413, 422)
  async sendBatch(
    @CurrentCaller() caller: Caller,
    @Body() dto: SendBatchDto,
    @Query() query: SendEmailQuery,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.idempotent(caller, idempotencyKey, { dto, query }, HttpStatus.OK, reply, (claim) =>
      this.emails.sendBatch(caller, dto.messages, query.unsubscribeMsg, claim),
    );
  }

  @Get()
  @ApiOperation({
    summary: 'List emails, newest first',
    description: 'Filters combine; pass `nextCursor` as `cursor` for the next page.',
  })
  @ApiEnvelopeResponse(EmailListViewDoc)
  list(@CurrentCaller() caller: Caller, @Query() query: ListEmailsQuery) {
    return this.emails.list(caller, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'An email with its current status and its event history' })
  @ApiEnvelopeResponse(EmailDetailViewDoc)
  @ApiErrorResponses(404)
  get(
    @CurrentCaller() caller: Caller,
    @Param('id', new ParseUUIDPipe({ exceptionFactory: () => ApiError.notFound('Email') })) id: string,
  ) {
    return this.emails.get(caller, id);
  }

  private async idempotent<T>(
    caller: Caller,
    key: string | undefined,
    request: unknown,
    status: number,
    reply: FastifyReply,
    run: (claim?: IdempotencyClaim) => Promise<T>,
  ): Promise<T> {
    if (key === undefined) return run();
    IdempotencyService.validateKey(key);
    const requestHash = IdempotencyService.hashRequest(request);
    const start = await this.idempotency.begin(caller.accountId, key, requestHash);
    if (start.kind === 'replay') {
      void reply.status(start.status).header('idempotent-replayed', 'true');
      return start.body as T;
    }
    try {
      // The response is recorded in the transaction that stores the emails; `complete` only records it for a
      // request that stored none (and does nothing when it is recorded already).
      const body = await run({ accountId: caller.accountId, key, requestHash, status });
      await this.idempotency.complete(caller.accountId, key, status, body);
      return body;
    } catch (error) {
      await this.idempotency.abandon(caller.accountId, key).catch(() => undefined);
      throw error;
    }
  }
}
