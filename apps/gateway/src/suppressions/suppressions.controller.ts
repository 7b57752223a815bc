import { randomUUID } from 'node:crypto';
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  Param,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { type Mailbox, parseMailbox } from '@postline/contracts';
import { PG_POOL, PrismaService } from '@postline/database';
import { type StoredSuppression, suppressByHand, unsuppress } from '@postline/email-ledger';
import { ApiEnvelopeResponse, ApiError, ApiErrorResponses } from '@postline/http';
import type { Pool } from 'pg';
import { ApiKeyGuard } from '../auth/api-key.guard';
import type { Caller } from '../auth/caller';
import { CurrentCaller } from '../auth/current-caller.decorator';
import { decodeCursor, encodeCursor } from '../emails/cursor';
import { AddSuppressionDto } from './dto/add-suppression.dto';
import { ListSuppressionsQuery } from './dto/list-suppressions.query';
import { SuppressionListView } from './dto/suppression-list.view';
import { SuppressionRemovedView } from './dto/suppression-removed.view';
import { SuppressionView } from './dto/suppression.view';

@ApiTags('suppressions')
@ApiBearerAuth()
@ApiErrorResponses(400, 401, 503)
@UseGuards(ApiKeyGuard)
@Controller('suppressions')
export class SuppressionsController {
  // Reads through Prisma; writes through the ledger's suppression-table, the table's one writer.
  constructor(
    private readonly prisma: PrismaService,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  @Get()
  @ApiOperation({ summary: "The account's suppression list, newest first" })
  @ApiEnvelopeResponse(SuppressionListView)
  async list(@CurrentCaller() caller: Caller, @Query() query: ListSuppressionsQuery): Promise<SuppressionListView> {
    const take = query.limit;
    const after = query.cursor ? decodeCursor(query.cursor) : undefined;
    const rows = await this.prisma.suppression.findMany({
      where: {
        accountId: caller.accountId,
        // In its stored form (see remove): the account's unique (accountId, address) index answers it.
        ...(query.address ? { address: storedForm(query.address) } : {}),
        ...(after
          ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] }
          : {}),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: take + 1,
    });
    const page = rows.slice(0, take);
    const last = page[page.length - 1];
    return {
      items: page.map((s) => ({
        address: s.address,
        reason: s.reason,
        emailId: s.emailId,
        detail: s.detail,
        createdAt: s.createdAt.toISOString(),
      })),
      nextCursor: rows.length > take && last ? encodeCursor(last) : null,
    };
  }

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Suppress an address by hand (reason MANUAL)' })
  @ApiEnvelopeResponse(SuppressionView, { status: 201 })
  @ApiErrorResponses(413)
  async add(@CurrentCaller() caller: Caller, @Body() dto: AddSuppressionDto): Promise<SuppressionView> {
    const address = (parseMailbox(dto.address) as Mailbox).address.toLowerCase();
    const {
      rows: [row],
    } = await this.pool.query<StoredSuppression>(
      suppressByHand(randomUUID(), caller.accountId, address, dto.detail ?? null),
    );
    return {
      address: row.address,
      reason: row.reason,
      emailId: row.emailId,
      detail: row.detail,
      createdAt: row.createdAt.toISOString(),
    };
  }

  @Delete(':address')
  @ApiOperation({ summary: 'Remove an address from the suppression list' })
  @ApiParam({ name: 'address', schema: { type: 'string', maxLength: 320 }, example: 'someone@example.com' })
  @ApiEnvelopeResponse(SuppressionRemovedView)
  @ApiErrorResponses(404)
  async remove(@CurrentCaller() caller: Caller, @Param('address') raw: string) {
    const address = storedForm(raw);
    const { rowCount } = await this.pool.query(unsuppress(caller.accountId, address));
    if (!rowCount) throw ApiError.notFound('Suppression');
    return { address, removed: true };
  }
}

/** An address as suppressions are stored: parsed when it parses (domain in Punycode), lower-cased. */
function storedForm(raw: string): string {
  const parsed = parseMailbox(raw.trim());
  return ('error' in parsed ? raw.trim() : parsed.address).toLowerCase();
}
