import { randomUUID } from 'node:crypto';
import { type SESv2Client, SendEmailCommand, type SendEmailCommandInput } from '@aws-sdk/client-sesv2';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EmailStatus } from '@postline/contracts';
import { GroupCommit } from '@postline/database';
import { buildSendEmailInput, type MessageSettings, type OutgoingEmail } from '../content/message-builder';
import type { Env } from '../env';
import {
  acceptToSent,
  ambiguousDispatches,
  emailsFinished,
  sendRetries,
  sesCallDuration,
  sesCalls,
} from '../sender-metrics';
import { SES_SEND_CLIENT } from '../ses/ses-clients';
import { classifySesError, describeSesFailure, type SesFailure } from '../ses/ses-failure';
import { retryDelay } from './backoff';
import { type DispatchAttempt, DispatchStore, type Preparation, type SentConfirmation } from './dispatch-store.service';
import { SendPacer } from './send-pacer.service';

export type DispatchOutcome =
  /** Nothing more to do for this email. */
  | { kind: 'done' }
  /**
   * Run the job again after a delay (a retry, or with `confirming` a wait for the SES Send event of a dispatch
   * that may have reached SES); no attempt is burned.
   */
  | { kind: 'later'; delayMs: number; confirming?: boolean }
  /** SES refuses all sending: hold every email back until a probe succeeds. */
  | { kind: 'pause'; failure: SesFailure };

export interface DispatchContext {
  /** A MessageId SES returned in an earlier run of this job whose SENT could not be recorded then. */
  knownMessageId?: string;
  /** Keeps a MessageId outside Postgres (with the job) when recording it fails. */
  remember: (sesMessageId: string) => Promise<unknown>;
  /** When the send job was created (epoch ms): the start of the accept→SENT latency. */
  queuedAt?: number;
  /** An earlier run of this job was waiting for the SES Send event: it needs no send slot to look again. */
  confirming?: boolean;
  /** Tokens of this job's dispatch attempts that never called SES (their STARTED commit was in doubt). */
  neverCalled?: readonly string[];
  /** Keeps, with the job (Redis), that the attempt `token` never called SES. */
  markNeverCalled?: (token: string) => Promise<unknown>;
}

const DONE: DispatchOutcome = { kind: 'done' };

type JournalEntry = { prepare: string; attempt: DispatchAttempt } | { confirm: SentConfirmation };

/**
 * Takes one email from the queue to SES, exactly once: a send slot of the shared rate, prepare (DEQUEUED,
 * re-checks, dispatch STARTED committed), SendEmail at once with the SDK's retries off, then SENT with the MessageId. A dispatch found STARTED
 * is never sent again: it waits for the SES Send event and otherwise ends AMBIGUOUS for an operator.
 */
@Injectable()
export class EmailDispatcher {
  private readonly logger = new Logger(EmailDispatcher.name);
  private readonly settings: MessageSettings;
  private readonly lateSlotMs: number;
  private readonly journal: GroupCommit<JournalEntry, Preparation | null>;

  constructor(
    private readonly store: DispatchStore,
    @Inject(SES_SEND_CLIENT) private readonly ses: SESv2Client,
    private readonly pacer: SendPacer,
    private readonly config: ConfigService<Env, true>,
  ) {
    this.settings = {
      publicBaseUrl: config.get('PUBLIC_BASE_URL', { infer: true }),
      unsubscribeSecret: config.get('UNSUBSCRIBE_SECRET', { infer: true }),
      configurationSet: config.get('SES_CONFIGURATION_SET', { infer: true }),
      untrackedConfigurationSet: config.get('SES_UNTRACKED_CONFIGURATION_SET', { infer: true }),
      localMode: Boolean(config.get('SES_ENDPOINT', { infer: true })),
    };
    this.lateSlotMs = config.get('SEND_LATE_SLOT_MS', { infer: true });
    // Prepares and confirmations of concurrent jobs share one transaction per round.
    this.journal = new GroupCommit(
      async (entries) => {
        const prepareIds = entries.flatMap((e) => ('prepare' in e ? [e.prepare] : []));
        const confirmations = entries.flatMap((e) => ('confirm' in e ? [e.confirm] : []));
        const attempts = new Map<string, DispatchAttempt>();
        // The same email twice in a round: only the first may dispatch, under its own token.
        for (const e of entries) if ('prepare' in e && !attempts.has(e.prepare)) attempts.set(e.prepare, e.attempt);
        const preparations = await this.store.journal(prepareIds, confirmations, attempts);
        let next = 0;
        return entries.map((e) => ('prepare' in e ? preparations[next++] : null));
      },
      1000,
      2,
    );
  }

  async dispatch(emailId: string, context: DispatchContext): Promise<DispatchOutcome> {
    if (context.knownMessageId) {
      await this.confirm(emailId, context.knownMessageId, context);
      return DONE;
    }
    // The send slot comes first: "dispatch started" is written only for a call that is next (DESIGN §10), so a
    // sender that dies while emails wait for the rate limit leaves them QUEUED, not ambiguous.
    const slotDue = context.confirming ? undefined : await this.pacer.acquire();
    const attempt: DispatchAttempt = { token: randomUUID(), neverCalled: context.neverCalled ?? [] };
    const call = { made: false };
    try {
      return await this.prepareAndSend(emailId, attempt, call, context, slotDue);
    } catch (error) {
      // STARTED may have committed even so (a connection lost during the commit, or while releasing it), but
      // this attempt did not call SES: keep that with the job, so its retry sends instead of waiting for a
      // Send event. The token is this attempt's own: only a STARTED written by it can name it.
      if (!call.made) await context.markNeverCalled?.(attempt.token).catch(() => undefined);
      throw error;
    }
  }

  private async prepareAndSend(
    emailId: string,
    attempt: DispatchAttempt,
    call: { made: boolean },
    context: DispatchContext,
    slotDue: number | undefined,
  ): Promise<DispatchOutcome> {
    const preparation = (await this.journal.submit({ prepare: emailId, attempt })) as Preparation;
    switch (preparation.kind) {
      case 'missing':
        this.logger.warn({ emailId }, 'queued email not found; job dropped');
        return DONE;
      case 'finished':
        return DONE;
      case 'refused':
        this.finished(preparation.status);
        return DONE;
      case 'in-doubt':
        return this.reconcile(emailId, preparation.startedAt);
      case 'send':
        return this.send(preparation.email, preparation.attempt, call, context, slotDue);
    }
  }

  /** The dispatch may have reached SES: wait for its Send event (the events service records SENT), never resend. */
  private async reconcile(emailId: string, startedAt: Date): Promise<DispatchOutcome> {
    const timeout = this.config.get('SEND_CONFIRM_TIMEOUT_MS', { infer: true });
    const waited = Date.now() - startedAt.getTime();
    if (waited < timeout) {
      return {
        kind: 'later',
        delayMs: Math.max(1, Math.min(this.config.get('SEND_CONFIRM_POLL_MS', { infer: true }), timeout - waited)),
        confirming: true,
      };
    }
    const reason =
      `dispatch ambiguous: SendEmail started at ${startedAt.toISOString()} may have reached SES, but no confirmation or SES Send event ` +
      `arrived within ${Math.round(timeout / 1000)} s; not sent again to avoid a duplicate`;
    if (await this.store.markAmbiguous(emailId, reason)) {
      ambiguousDispatches().inc();
      this.finished('EXHAUSTED');
      this.logger.error(
        { emailId, dispatchStartedAt: startedAt.toISOString() },
        'dispatch AMBIGUOUS: operator review needed',
      );
    }
    return DONE;
  }

  private async send(
    email: OutgoingEmail,
    attempt: number,
    call: { made: boolean },
    context: DispatchContext,
    slotDue: number | undefined,
  ): Promise<DispatchOutcome> {
    if (email.attachmentCount && email.options) {
      try {
        email.options.attachments = await this.store.attachments(email.id);
      } catch (error) {
        // No call was made: release the dispatch and try again later, like a missed send slot.
        this.logger.warn({ emailId: email.id, err: (error as Error).message }, 'attachments unreadable; retrying');
        await this.store.releaseDispatch(email.id, true).catch(() => undefined);
        return { kind: 'later', delayMs: 5_000 };
      }
    }
    let input: SendEmailCommandInput;
    try {
      input = buildSendEmailInput(email, this.settings);
    } catch (error) {
      await this.store.recordFailure(
        email.id,
        'NOT_SENT',
        `message could not be built: ${(error as Error).message}`,
        {},
      );
      this.finished('NOT_SENT');
      return DONE;
    }
    if (slotDue === undefined) {
      await this.pacer.acquire();
    } else if (Date.now() - slotDue > this.lateSlotMs) {
      // A slot is not banked: a call much later than its slot (Postgres stalled in between) would go out at
      // once with every other delayed call, above the rate. No call was made: the dispatch is released and
      // the job takes a new slot, without waiting for it while STARTED.
      await this.store.releaseDispatch(email.id, true);
      return { kind: 'later', delayMs: 1 };
    }
    const stopTimer = sesCallDuration().startTimer();
    let messageId: string | undefined;
    call.made = true;
    try {
      messageId = (await this.ses.send(new SendEmailCommand(input))).MessageId;
    } catch (error) {
      stopTimer();
      return this.failed(email.id, attempt, classifySesError(error));
    }
    stopTimer();
    if (!messageId)
      return this.failed(email.id, attempt, {
        kind: 'ambiguous',
        code: 'NoMessageId',
        message: 'SES answered without a MessageId',
      });
    sesCalls().inc({ result: 'ok', code: '' });
    await this.confirm(email.id, messageId, context);
    return DONE;
  }

  private async confirm(emailId: string, sesMessageId: string, context: DispatchContext): Promise<void> {
    try {
      await this.journal.submit({ confirm: { emailId, sesMessageId, at: new Date() } });
      this.finished('SENT');
      if (context.queuedAt) acceptToSent().observe((Date.now() - context.queuedAt) / 1000);
    } catch (error) {
      // SES has the message: keep its id with the job so the retry records SENT instead of waiting for an event.
      await context.remember(sesMessageId).catch(() => undefined);
      throw error;
    }
  }

  private async failed(emailId: string, attempt: number, failure: SesFailure): Promise<DispatchOutcome> {
    sesCalls().inc({ result: failure.kind, code: failure.code });
    const details = { code: failure.code, httpStatus: failure.httpStatus ?? null, attempt };
    switch (failure.kind) {
      case 'rejected':
        await this.store.recordFailure(emailId, 'NOT_SENT', describeSesFailure(failure), details);
        this.finished('NOT_SENT');
        return DONE;
      case 'bad-from':
        await this.store.recordFailure(emailId, 'BAD_FROM', describeSesFailure(failure), details);
        this.finished('BAD_FROM');
        return DONE;
      case 'paused':
        await this.store.releaseDispatch(emailId, true);
        return { kind: 'pause', failure };
      case 'ambiguous':
        // Dispatch stays STARTED: the job now waits for the Send event like one taken over from a dead sender.
        this.logger.warn(
          { emailId, code: failure.code, err: failure.message },
          'SendEmail outcome unknown; waiting for the SES Send event',
        );
        return { kind: 'later', delayMs: this.config.get('SEND_CONFIRM_POLL_MS', { infer: true }), confirming: true };
      case 'throttled':
      case 'unavailable':
      case 'not-reached': {
        if (attempt >= this.config.get('SEND_MAX_ATTEMPTS', { infer: true })) {
          await this.store.recordFailure(
            emailId,
            'EXHAUSTED',
            `${attempt} attempts failed; last: ${describeSesFailure(failure)}`,
            details,
          );
          this.finished('EXHAUSTED');
          return DONE;
        }
        await this.store.releaseDispatch(emailId);
        sendRetries().inc({ kind: failure.kind });
        const delayMs = retryDelay(
          attempt,
          this.config.get('SEND_RETRY_BASE_DELAY_MS', { infer: true }),
          this.config.get('SEND_RETRY_MAX_DELAY_MS', { infer: true }),
        );
        this.logger.debug({ emailId, attempt, delayMs, code: failure.code }, 'SendEmail failed; retry scheduled');
        return { kind: 'later', delayMs };
      }
    }
  }

  private finished(status: EmailStatus): void {
    emailsFinished().inc({ status });
  }
}
