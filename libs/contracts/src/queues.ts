import type { JobsOptions } from 'bullmq';

/** One queue per consuming app (DESIGN §6). Names are noun-verb. */
export const QueueName = {
  EmailSend: 'email-send',
  SesEvent: 'ses-event',
  ReputationEvent: 'reputation-event',
  IdentitySync: 'identity-sync',
  Retention: 'retention',
  /** The due pass of scheduled emails: apart from email-send, whose rate limiter would count (and delay) it. */
  EmailSchedule: 'email-schedule',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

/** Job names are verb-noun. */
export const JobName = {
  SendEmail: 'send-email',
  ApplySesEvent: 'apply-ses-event',
  RecordReputationEvents: 'record-reputation-events',
  SweepReputation: 'sweep-reputation',
  SyncSenderIdentities: 'sync-sender-identities',
  PurgeExpiredData: 'purge-expired-data',
  ReconcileSends: 'reconcile-sends',
  ReconcileSesEvents: 'reconcile-ses-events',
  ReleaseScheduledEmails: 'release-scheduled-emails',
  ReconcileReputationEvents: 'reconcile-reputation-events',
  TidySnsReceipts: 'tidy-sns-receipts',
} as const;
export type JobName = (typeof JobName)[keyof typeof JobName];

/** Job id: the email id, so a send is queued at most once. */
export interface SendEmailJob {
  emailId: string;
  /**
   * Set by the sender: tokens of this job's dispatch attempts whose STARTED commit was in doubt and which
   * therefore never called SES; a STARTED row naming one of them is sent normally.
   */
  neverCalled?: string[];
}

/** Job id: the SNS MessageId. */
export interface ApplySesEventJob {
  snsMessageId: string;
}

export const ReputationEventKind = {
  Sent: 'sent',
  HardBounce: 'hard-bounce',
  Complaint: 'complaint',
} as const;
export type ReputationEventKind = (typeof ReputationEventKind)[keyof typeof ReputationEventKind];

/** One reputation event of a `record-reputation-events` job; each email's outcome counts once. */
export interface RecordReputationEventJob {
  accountId: string;
  emailId: string;
  kind: ReputationEventKind;
  recipient: string;
  /** Epoch ms of the event; decides the hourly bucket. */
  occurredAt: number;
}

/**
 * The reputation events of one status transaction, queued as one job. Job id: the `<emailId>_<kind>` of its
 * first event (each email's outcome is reached once, so no other job has it).
 */
export interface RecordReputationEventsJob {
  events: RecordReputationEventJob[];
}

/** Repeated by a job scheduler: re-evaluates accounts whose window slid, and prunes old buckets. */
export type SweepReputationJob = Record<string, never>;

/** Repeated by a job scheduler (gateway): reads SES's verification state of the identities not settled yet. */
export type SyncSenderIdentitiesJob = Record<string, never>;

/** Repeated by a job scheduler (reputation app): deletes emails and their trail past RETENTION_DAYS. */
export type PurgeExpiredDataJob = Record<string, never>;
/**
 * Repeated by a job scheduler on the queue it repairs: re-queues the work Postgres holds as pending but Redis
 * no longer has (Redis restarted empty, a lagging replica promoted, a flush).
 */
export type ReconcileJob = Record<string, never>;

/** Repeated by a job scheduler (sender app): moves SCHEDULED emails whose `sendAt` has come to QUEUED. */
export type ReleaseScheduledEmailsJob = Record<string, never>;

/** Repeated by a job scheduler (events app): deletes old SNS receipts and re-queues those pending for hours. */
export type TidySnsReceiptsJob = Record<string, never>;

export interface JobPayloads {
  [JobName.SendEmail]: SendEmailJob;
  [JobName.ApplySesEvent]: ApplySesEventJob;
  [JobName.RecordReputationEvents]: RecordReputationEventsJob;
  [JobName.SweepReputation]: SweepReputationJob;
  [JobName.SyncSenderIdentities]: SyncSenderIdentitiesJob;
  [JobName.PurgeExpiredData]: PurgeExpiredDataJob;
  [JobName.ReconcileSends]: ReconcileJob;
  [JobName.ReconcileSesEvents]: ReconcileJob;
  [JobName.ReleaseScheduledEmails]: ReleaseScheduledEmailsJob;
  [JobName.ReconcileReputationEvents]: ReconcileJob;
  [JobName.TidySnsReceipts]: TidySnsReceiptsJob;
}

/** Which queue carries each job; a job missing here is a compile error. */
export const JOB_QUEUE = {
  [JobName.SendEmail]: QueueName.EmailSend,
  [JobName.ApplySesEvent]: QueueName.SesEvent,
  [JobName.RecordReputationEvents]: QueueName.ReputationEvent,
  [JobName.SweepReputation]: QueueName.ReputationEvent,
  [JobName.SyncSenderIdentities]: QueueName.IdentitySync,
  [JobName.PurgeExpiredData]: QueueName.Retention,
  [JobName.ReconcileSends]: QueueName.EmailSend,
  [JobName.ReconcileSesEvents]: QueueName.SesEvent,
  [JobName.ReleaseScheduledEmails]: QueueName.EmailSchedule,
  [JobName.ReconcileReputationEvents]: QueueName.ReputationEvent,
  [JobName.TidySnsReceipts]: QueueName.SesEvent,
} as const satisfies Record<JobName, QueueName>;

export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: true,
  removeOnFail: false,
};
