import { randomUUID } from 'node:crypto';
import { HttpStatus, Injectable } from '@nestjs/common';
import { isNoReplyAddress, type Mailbox, parseMailbox } from '@postline/contracts';
import { type Prisma, PrismaService } from '@postline/database';
import type { NewEmail } from '@postline/email-ledger';
import { ApiError, ErrorCode, type ErrorBody, findUnstorableText, metric, validateItem } from '@postline/http';
import { Counter } from 'prom-client';
import type { Caller } from '../auth/caller';
import type { IdempotentResponse } from '../idempotency/idempotency.service';
import { AccountPolicyService } from '../senders/account-policy.service';
import { decideAcceptance } from './acceptance';
import { AcceptanceBatcher } from './acceptance-batcher.service';
import { RecipientDomainCheck } from './mx/recipient-domain-check.service';
import { decodeCursor, encodeCursor } from './cursor';
import { SendEmailDto } from './dto/send-email.dto';
import type { ListEmailsQuery } from './dto/list-emails.query';
import { type EmailView, toEmailView } from './email-view';
import {
  refKey,
  type ResolvedTemplate,
  TemplatesService,
  type UnresolvedTemplate,
} from '../templates/templates.service';
import { parseInstant } from '../reports/report-range';
import { attachmentsOf, attachmentViews, messageOptionsOf, type NewAttachment } from './message-options';
import type { AttachmentView } from './message-options-view';

export const DEFAULT_UNSUBSCRIBE_MSG = 'Unsubscribe';

const emailsAccepted = metric(
  'postline_emails_accepted_total',
  () =>
    new Counter({
      name: 'postline_emails_accepted_total',
      help: 'Emails stored at acceptance, by status',
      labelNames: ['status'],
    }),
);

export type BatchResult =
  { index: number; status: 201; data: EmailView } | { index: number; status: 400; error: ErrorBody };

export interface BatchResponse {
  accepted: number;
  rejected: number;
  results: BatchResult[];
}

/** A keyed request's claim: its response is recorded with its emails (IdempotentResponse without the body). */
export type IdempotencyClaim = Omit<IdempotentResponse, 'body'>;

@Injectable()
export class EmailsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly policies: AccountPolicyService,
    private readonly batcher: AcceptanceBatcher,
    private readonly recipientDomains: RecipientDomainCheck,
    private readonly templates: TemplatesService,
  ) {}

  async send(
    caller: Caller,
    dto: SendEmailDto,
    unsubscribeMsg = DEFAULT_UNSUBSCRIBE_MSG,
    claim?: IdempotencyClaim,
  ): Promise<EmailView> {
    const [template] = await this.templatesOf(caller, [dto]);
    if (template && 'field' in template) {
      throw new ApiError(HttpStatus.NOT_FOUND, ErrorCode.NotFound, 'Template not found', [template]);
    }
    const [view] = await this.accept(caller, [dto], [template], unsubscribeMsg, claim, (views) => views[0]);
    return view;
  }

  /** Validates each message on its own; valid ones are accepted together, invalid ones get their 400. */
  async sendBatch(
    caller: Caller,
    messages: unknown[],
    unsubscribeMsg = DEFAULT_UNSUBSCRIBE_MSG,
    claim?: IdempotencyClaim,
  ): Promise<BatchResponse> {
    const valid: { index: number; dto: SendEmailDto }[] = [];
    const results: BatchResult[] = new Array(messages.length);
    for (const [index, message] of messages.entries()) {
      const field = `messages[${index}]`;
      if (typeof message !== 'object' || message === null || Array.isArray(message)) {
        results[index] = {
          index,
          status: 400,
          error: ApiError.validation([{ field, message: 'must be an object' }]).toBody(),
        };
        continue;
      }
      const unstorable = findUnstorableText(message, field);
      if (unstorable) {
        results[index] = { index, status: 400, error: ApiError.validation([unstorable]).toBody() };
        continue;
      }
      // The validator of POST /emails: a message gets the answer it would get sent alone.
      const checked = await validateItem(SendEmailDto, message, field);
      if ('details' in checked) {
        results[index] = { index, status: 400, error: ApiError.validation(checked.details).toBody() };
      } else {
        valid.push({ index, dto: checked.dto });
      }
    }
    // A message naming no template of the account gets its own 400; the others go on.
    const found = await this.templatesOf(
      caller,
      valid.map((v) => v.dto),
    );
    const templates: (ResolvedTemplate | undefined)[] = [];
    const withTemplates = valid.filter((v, i) => {
      const template = found[i];
      if (template && 'field' in template) {
        const detail = { field: `messages[${v.index}].${template.field}`, message: template.message };
        results[v.index] = { index: v.index, status: 400, error: ApiError.validation([detail]).toBody() };
        return false;
      }
      templates.push(template);
      return true;
    });
    valid.length = 0;
    valid.push(...withTemplates);
    const respond = (views: EmailView[]): BatchResponse => {
      const all = [...results];
      valid.forEach((v, i) => (all[v.index] = { index: v.index, status: 201, data: views[i] }));
      const accepted = views.length;
      return { accepted, rejected: all.length - accepted, results: all };
    };
    const views = await this.accept(
      caller,
      valid.map((v) => v.dto),
      templates,
      unsubscribeMsg,
      claim,
      respond,
    );
    return respond(views);
  }

  /** The template version each message will be rendered with (undefined for inline content). */
  private async templatesOf(
    caller: Caller,
    dtos: readonly SendEmailDto[],
  ): Promise<(ResolvedTemplate | UnresolvedTemplate | undefined)[]> {
    const refs = dtos.flatMap((dto) =>
      dto.templateId ? [{ templateId: dto.templateId, templateVersion: dto.templateVersion ?? undefined }] : [],
    );
    if (refs.length === 0) return dtos.map(() => undefined);
    const resolved = await this.templates.resolve(caller.accountId, refs);
    return dtos.map((dto) =>
      dto.templateId
        ? resolved.get(refKey({ templateId: dto.templateId, templateVersion: dto.templateVersion ?? undefined }))
        : undefined,
    );
  }

  private async accept(
    caller: Caller,
    dtos: SendEmailDto[],
    templates: readonly (ResolvedTemplate | undefined)[],
    unsubscribeMsg: string,
    claim: IdempotencyClaim | undefined,
    respond: (views: EmailView[]) => unknown,
  ): Promise<EmailView[]> {
    if (dtos.length === 0) return [];
    // Both parse: the DTO validated them with the same function. A batch mostly repeats its sender: each
    // distinct address is parsed once.
    const mailboxes = new Map<string, Mailbox>();
    const mailbox = (raw: string): Mailbox => {
      let parsed = mailboxes.get(raw);
      if (!parsed) mailboxes.set(raw, (parsed = parseMailbox(raw) as Mailbox));
      return parsed;
    };
    const parsed = dtos.map((dto) => ({ dto, to: mailbox(dto.to), from: mailbox(dto.from) }));
    const [policy, undeliverable] = await Promise.all([
      this.policies.get(caller.accountId),
      this.recipientDomains.undeliverable(parsed.map((p) => p.to.domain)),
    ]);
    const now = new Date();
    const attachments: NewAttachment[] = [];
    const emails: NewEmail[] = parsed.map(({ dto, to, from }, i) => {
      const decision = decideAcceptance(policy, from, to, undeliverable.get(to.domain));
      const sendAt = dto.sendAt ? new Date(dto.sendAt) : null;
      // An email that may go is held until its sendAt; one refused at acceptance is refused now all the same.
      if (decision.status === 'QUEUED' && sendAt && sendAt > now) decision.status = 'SCHEDULED';
      const template = templates[i];
      const id = randomUUID();
      const options = messageOptionsOf(dto);
      if (dto.attachments) attachments.push(...attachmentsOf(dto, id));
      return {
        id,
        accountId: caller.accountId,
        operatorId: caller.operatorId,
        userName: caller.accountName,
        operator: caller.operatorName,
        to: to.address,
        from: from.address,
        alias: dto.alias ?? null,
        // A templated email keeps its template's subject source (shown until rendered); the sender renders it.
        subject: template ? template.subject : dto.subject,
        text: template ? '' : dto.text,
        html: dto.html ?? null,
        templateId: template?.templateId ?? null,
        templateVersion: template?.version ?? null,
        variables: dto.variables ?? null,
        externalId: dto.externalId ?? null,
        clientId: dto.clientId ?? null,
        callbacks: dto.callbacks ?? [],
        unsubscribeMsg,
        status: decision.status,
        statusReason: decision.statusReason,
        createdAt: now,
        sendAt,
        ...(options ? { options } : {}),
      };
    });
    const files = attachmentsByEmail(attachments);
    const stored = await this.batcher.submit(
      emails,
      claim && ((inTransaction) => ({ ...claim, body: respond(viewsOf(inTransaction, files)) })),
      attachments,
    );
    const accepted = new Map<string, number>();
    for (const email of stored) accepted.set(email.status, (accepted.get(email.status) ?? 0) + 1);
    for (const [status, count] of accepted) emailsAccepted.inc({ status }, count);
    return viewsOf(stored, files);
  }

  async get(caller: Caller, id: string) {
    const email = await this.prisma.email.findFirst({
      where: { id, accountId: caller.accountId },
      include: {
        operator: { select: { name: true } },
        // Events of one instant recorded together (a DEQUEUED and its refusal) come in the order they were
        // applied: their sequence, the stable key the recorder numbers status changes with.
        events: {
          orderBy: [{ occurredAt: 'asc' }, { createdAt: 'asc' }, { sequence: { sort: 'asc', nulls: 'last' } }],
        },
      },
    });
    // Another account's email is "not found": its existence is not disclosed.
    if (!email) throw ApiError.notFound('Email');
    const attachments = email.attachmentCount > 0 ? await this.attachmentViews(email.id) : [];
    return {
      ...toEmailView(email, caller.accountName, email.operator.name),
      ...(attachments.length > 0 ? { attachments } : {}),
      sesMessageId: email.sesMessageId,
      sequence: email.sequence,
      updatedAt: email.updatedAt.toISOString(),
      ...(email.variables !== null ? { variables: email.variables as Record<string, unknown> } : {}),
      events: email.events.map((e) => ({
        id: e.id,
        type: e.type,
        source: e.source,
        status: e.mappedStatus,
        previousStatus: e.previousStatus,
        newStatus: e.newStatus,
        sequence: e.sequence,
        details: e.details,
        occurredAt: e.occurredAt.toISOString(),
      })),
    };
  }

  /** Names, types and sizes only: the content stays in Postgres. */
  private async attachmentViews(emailId: string): Promise<AttachmentView[]> {
    return this.prisma.$queryRaw<AttachmentView[]>`
      SELECT "filename", "contentType", octet_length("content") AS "size" FROM "EmailAttachment"
      WHERE "emailId" = ${emailId}::uuid ORDER BY "position"`;
  }

  async list(caller: Caller, query: ListEmailsQuery): Promise<{ items: EmailView[]; nextCursor: string | null }> {
    const where: Prisma.EmailWhereInput = { accountId: caller.accountId };
    if (query.externalId) where.externalId = query.externalId;
    if (query.clientId) where.clientId = query.clientId;
    if (query.status) where.status = query.status;
    if (query.to) where.to = normaliseAddress(query.to);
    if (query.from) where.from = normaliseAddress(query.from);
    // A range of createdAt: every index of the list ends with it, after the filter's own column.
    if (query.since || query.until) {
      where.createdAt = {
        ...(query.since ? { gte: parseInstant(query.since, 'since') } : {}),
        ...(query.until ? { lt: parseInstant(query.until, 'until') } : {}),
      };
    }
    // jsonb containment (tags @> [{ name, value }]), served by the GIN index on "tags".
    if (query.tag) where.tags = { array_contains: [{ name: query.tag.name, value: query.tag.value }] };
    if (query.cursor) {
      const cursor = decodeCursor(query.cursor);
      // The bound on createdAt alone is what the index seeks to; the OR only settles ties at that instant.
      // Without it Postgres reads the index from the newest email down to the cursor: a page a million emails
      // deep took a second (bench:growth).
      where.AND = [
        { createdAt: { lte: cursor.createdAt } },
        { OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] },
      ];
    }
    const rows = await this.prisma.email.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: query.limit + 1,
      include: { operator: { select: { name: true } } },
    });
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => toEmailView(r, caller.accountName, r.operator.name)),
      nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null,
    };
  }
}

function attachmentsByEmail(attachments: readonly NewAttachment[]): Map<string, AttachmentView[]> {
  const byEmail = new Map<string, NewAttachment[]>();
  for (const a of attachments) byEmail.set(a.emailId, [...(byEmail.get(a.emailId) ?? []), a]);
  return new Map([...byEmail].map(([id, list]) => [id, attachmentViews(list)]));
}

/** The response view of each stored email, with a warning for a no-reply sender. */
function viewsOf(stored: NewEmail[], attachments: ReadonlyMap<string, AttachmentView[]>): EmailView[] {
  return stored.map((email) => {
    const view = toEmailView({ ...email, ...email.options }, email.userName, email.operator);
    const files = attachments.get(email.id);
    if (files) view.attachments = files;
    const local = email.from.slice(0, email.from.lastIndexOf('@'));
    if (isNoReplyAddress(local)) {
      view.warnings = [
        `${email.from} looks like a no-reply address: recipients cannot answer, and some filters penalise it`,
      ];
    }
    return view;
  });
}

/** Filters match the stored form: domain lower-cased and in Punycode. */
function normaliseAddress(value: string): string {
  const parsed = parseMailbox(value);
  return 'error' in parsed ? value : parsed.address;
}
