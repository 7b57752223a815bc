import { WorkerHost } from '@nestjs/bullmq';
import { Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JobName, QueueName, type ReconcileJob, type SendEmailJob } from '@postline/contracts';
import { isTransientDatabaseError } from '@postline/database';
import { StatusRecorder } from '@postline/email-ledger';
import { PostgresOutage, QueueWorker, ThrottledLog, unexpectedJob } from '@postline/queue';
import { DelayedError, type Job, UnrecoverableError, Worker } from 'bullmq';
import type { Env } from '../env';
import { SendReconciler } from '../reconcile/send-reconciler.service';
import { EmailDispatcher } from './email-dispatcher.service';
import { limiterFor } from './send-rate';
import { SendPacer } from './send-pacer.service';
import { SendRateService } from './send-rate.service';
import { sendWorkerOptions } from './send-worker-options';
import { SendingPause } from './sending-pause.service';

const DATABASE_RETRY_MS = 5_000;
// Tokens of uncalled attempts kept with a job; only the latest STARTED can name one.
const MAX_NEVER_CALLED = 10;
// The queue's limiter lets jobs start slightly faster than the rate; the pacer holds the rate itself.
const LIMITER_HEADROOM = 1.25;

type EmailSendQueueJob =
  Job<SendEmailJob, void, typeof JobName.SendEmail> | Job<ReconcileJob, void, typeof JobName.ReconcileSends>;

interface SendProgress {
  sesMessageId?: string;
  /** The job waits for the SES Send event of a dispatch that may have reached SES. */
  confirming?: boolean;
}

/**
 * Consumes `email-send`. The worker starts once the SES max send rate is known: it sets the queue's rate
 * limiter (in Redis, so every replica shares it) and the pacer that spaces the SendEmail calls. Retries and
 * waits move the job to delayed without burning attempts; a pause sends it back to waiting. On shutdown the
 * worker finishes its active jobs before the database pool closes.
 */
@QueueWorker(QueueName.EmailSend, sendWorkerOptions)
export class SendEmailProcessor extends WorkerHost implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SendEmailProcessor.name);
  private refreshTimer?: NodeJS.Timeout;
  private stopped = false;
  private started?: Promise<void>;
  private readonly errorLog = new ThrottledLog(this.logger, 10_000);

  constructor(
    private readonly dispatcher: EmailDispatcher,
    private readonly rates: SendRateService,
    private readonly pause: SendingPause,
    private readonly pacer: SendPacer,
    private readonly config: ConfigService<Env, true>,
    private readonly recorder: StatusRecorder,
    private readonly reconciler: SendReconciler,
    private readonly outage: PostgresOutage,
  ) {
    super();
  }

  async process(job: EmailSendQueueJob, token?: string): Promise<void> {
    switch (job.name) {
      case JobName.SendEmail:
        return this.send(job, token);
      case JobName.ReconcileSends:
        await this.reconciler.run();
        return;
      default:
        return unexpectedJob(job);
    }
  }

  private async send(job: Job<SendEmailJob, void, typeof JobName.SendEmail>, token?: string): Promise<void> {
    const progress = (job.progress && typeof job.progress === 'object' ? job.progress : {}) as SendProgress;
    try {
      const outcome = await this.dispatcher.dispatch(job.data.emailId, {
        knownMessageId: progress.sesMessageId,
        remember: (sesMessageId) => job.updateProgress({ sesMessageId }),
        queuedAt: job.timestamp,
        confirming: progress.confirming,
        neverCalled: job.data.neverCalled,
        markNeverCalled: (token) =>
          job.updateData({
            ...job.data,
            neverCalled: [...(job.data.neverCalled ?? []), token].slice(-MAX_NEVER_CALLED),
          }),
      });
      switch (outcome.kind) {
        case 'done':
          return;
        case 'later':
          if (outcome.confirming && !progress.confirming) await job.updateProgress({ ...progress, confirming: true });
          return await this.later(job, token, outcome.delayMs);
        case 'pause':
          await this.pause.pause(outcome.failure, this.worker);
          throw Worker.RateLimitError();
      }
    } catch (error) {
      // Postgres away (or a rolled-back round): the job tries again later without using up its attempts.
      if (isTransientDatabaseError(error)) {
        this.outage.report(error);
        return this.later(job, token, DATABASE_RETRY_MS);
      }
      throw error;
    }
  }

  private async later(job: Job, token: string | undefined, delayMs: number): Promise<never> {
    await job.moveToDelayed(Date.now() + delayMs, token);
    throw new DelayedError();
  }

  onApplicationBootstrap(): void {
    this.worker.on('error', (error) => this.logError('worker error', error));
    this.worker.on('failed', (job, error) => void this.failed(job, error));
    this.started = this.start();
  }

  /**
   * A job that will not run again (attempts used up, a crash loop, a bug) must not leave its email DEQUEUED
   * for ever: it ends EXHAUSTED with the reason. If the SendEmail call did reach SES, its Send event still
   * moves the email on (SES evidence outranks EXHAUSTED).
   */
  private async failed(job: Job<SendEmailJob> | undefined, error: Error): Promise<void> {
    this.logger.error({ jobId: job?.id, err: error.message }, 'send job failed');
    if (!job?.data?.emailId) return;
    const final = error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    if (!final) return;
    await this.recorder
      .record([
        {
          emailId: job.data.emailId,
          status: 'EXHAUSTED',
          source: 'SENDER',
          sourceId: `${job.data.emailId}:job-failed`,
          type: 'SendFailed',
          occurredAt: new Date(),
          statusReason: `sending stopped after ${job.attemptsMade} attempt(s): ${error.message}`.slice(0, 500),
        },
      ])
      .catch((e: Error) => this.logError('could not record a failed send', e));
  }

  /** Resolves once the worker takes jobs (tests and the benchmark wait for it). */
  whenStarted(): Promise<void> {
    return this.started ?? Promise.resolve();
  }

  private async start(): Promise<void> {
    const rate = await this.rates.resolve(() => this.stopped);
    if (this.stopped) return;
    this.applyRate(rate);
    this.worker.run().catch((error: Error) => this.logError('worker stopped', error));
    if (!this.rates.configured) {
      // A timer, not a job scheduler: every replica refreshes its own pacer and limiter, and a scheduled job
      // would run on one of them only.
      this.refreshTimer = setInterval(
        () => void this.refreshRate(),
        this.config.get('SES_QUOTA_REFRESH_MS', { infer: true }),
      );
      this.refreshTimer.unref();
    }
  }

  private async refreshRate(): Promise<void> {
    const rate = await this.rates.fromSes().catch(() => null);
    if (rate !== null) this.applyRate(rate);
  }

  private applyRate(rate: number): void {
    this.pacer.setRate(rate);
    this.worker.opts.limiter = limiterFor(rate * LIMITER_HEADROOM);
  }

  /** Runs before the database and Redis modules close: active jobs finish (or are released) first. */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    await this.worker.close();
  }

  private logError(message: string, error: Error): void {
    this.errorLog.warn(`${message}: ${error.message}`);
  }
}
