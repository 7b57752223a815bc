import { Inject, Injectable } from '@nestjs/common';
import { GroupCommit, PG_POOL } from '@postline/database';
import { settleReputationPending } from '@postline/email-ledger';
import type { Pool } from 'pg';

/** Forgets counted reputation jobs ("ReputationPending"), many jobs per statement. */
@Injectable()
export class PendingSettler {
  private readonly batcher: GroupCommit<string, void>;

  constructor(@Inject(PG_POOL) pool: Pool) {
    // Deleting by job id cannot fail for one id alone: nothing to isolate.
    this.batcher = new GroupCommit<string, void>(
      async (jobIds) => {
        await settleReputationPending(pool, jobIds);
        return jobIds.map(() => undefined);
      },
      1000,
      2,
      { isolate: false },
    );
  }

  /** Resolves once the job's row is gone. */
  settle(jobId: string): Promise<void> {
    return this.batcher.submit(jobId);
  }
}
