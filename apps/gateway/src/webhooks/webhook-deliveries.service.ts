import { Inject, Injectable } from '@nestjs/common';
import { PG_POOL, PrismaService } from '@postline/database';
import { replayDelivery } from '@postline/email-ledger';
import { ApiError } from '@postline/http';
import type { Pool } from 'pg';
import { decodeCursor, encodeCursor } from '../emails/cursor';
import type { AccountNotificationPageView } from './dto/account-notification-page.view';
import type { WebhookDeliveryView } from './dto/webhook-delivery.view';

interface DeliveryWithLog {
  id: string;
  url: string;
  type: string;
  eventId: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastLatencyMs: number | null;
  lastError: string | null;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
  createdAt: Date;
  payload: unknown;
  attemptLog: {
    attempt: number;
    statusCode: number | null;
    latencyMs: number | null;
    error: string | null;
    nextAttemptAt: Date | null;
    createdAt: Date;
  }[];
}

function toView(d: DeliveryWithLog): WebhookDeliveryView {
  return {
    id: d.id,
    url: d.url,
    type: d.type,
    eventId: d.eventId,
    status: d.status,
    attempts: d.attempts,
    lastStatusCode: d.lastStatusCode,
    lastLatencyMs: d.lastLatencyMs,
    lastError: d.lastError,
    nextAttemptAt: d.nextAttemptAt?.toISOString() ?? null,
    deliveredAt: d.deliveredAt?.toISOString() ?? null,
    createdAt: d.createdAt.toISOString(),
    payload: d.payload,
    attemptLog: d.attemptLog.map((a) => ({
      attempt: a.attempt,
      statusCode: a.statusCode,
      latencyMs: a.latencyMs,
      error: a.error,
      nextAttemptAt: a.nextAttemptAt?.toISOString() ?? null,
      at: a.createdAt.toISOString(),
    })),
  };
}

/** The callback log of the account's emails and of its notifications, and replays. Every lookup is scoped to the caller's account. */
@Injectable()
export class WebhookDeliveriesService {
  constructor(
    private readonly prisma: PrismaService,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  async listForEmail(accountId: string, emailId: string): Promise<WebhookDeliveryView[]> {
    const email = await this.prisma.email.findFirst({ where: { id: emailId, accountId }, select: { id: true } });
    if (!email) throw ApiError.notFound('Email');
    const deliveries = await this.prisma.webhookDelivery.findMany({
      where: { emailId, accountId },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      include: { attemptLog: { orderBy: { attempt: 'asc' } } },
    });
    return deliveries.map(toView);
  }

  /** Account notifications (deliveries without an email), newest first, keyset-paged over (createdAt, id). */
  async listNotifications(accountId: string, limit: number, cursor?: string): Promise<AccountNotificationPageView> {
    const after = cursor ? decodeCursor(cursor) : undefined;
    const rows = await this.prisma.webhookDelivery.findMany({
      where: {
        accountId,
        emailId: null,
        ...(after && {
          OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }],
        }),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit + 1,
      include: { attemptLog: { orderBy: { attempt: 'asc' } } },
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(toView), nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
  }

  /**
   * Makes the delivery due now, whatever its state (exhausted, gone, failed and waiting, even succeeded: a
   * replay); the webhooks app claims it within its poll interval. A double click makes it due twice, which is
   * once. Its attempt count goes on, so the log shows the replay as the next attempt.
   */
  async retry(accountId: string, deliveryId: string): Promise<WebhookDeliveryView> {
    const { rowCount } = await this.pool.query(replayDelivery(accountId, deliveryId));
    if (rowCount === 0) throw ApiError.notFound('Webhook delivery');
    const delivery = await this.prisma.webhookDelivery.findUniqueOrThrow({
      where: { id: deliveryId },
      include: { attemptLog: { orderBy: { attempt: 'asc' } } },
    });
    return toView(delivery);
  }
}
