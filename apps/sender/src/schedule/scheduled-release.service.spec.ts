import type { ConfigService } from '@nestjs/config';
import type { ScheduledEmails } from '@postline/email-ledger';
import type { JobSchedules } from '@postline/queue';
import type { Env } from '../env';
import { ScheduledRelease } from './scheduled-release.service';

describe(ScheduledRelease.name, () => {
  let nextDue: Date | null;
  let releaseDue: jest.Mock;
  let sut: ScheduledRelease;

  beforeEach(() => {
    jest.useFakeTimers({ now: Date.parse('2026-12-05T12:00:00Z') });
    nextDue = null;
    releaseDue = jest.fn().mockResolvedValue(0);
    const scheduled = { releaseDue, nextDueAt: () => Promise.resolve(nextDue) } as unknown as ScheduledEmails;
    const config = { get: () => 1_000 } as unknown as ConfigService<Env, true>;
    sut = new ScheduledRelease({} as JobSchedules, scheduled, config);
  });

  afterEach(() => {
    sut.onModuleDestroy();
    jest.useRealTimers();
  });

  it('runs a pass again at the moment the next email is due, when that is before the next scheduled pass', async () => {
    nextDue = new Date(Date.now() + 400);
    await sut.run();
    expect(releaseDue).toHaveBeenCalledTimes(1);
    nextDue = null;
    await jest.advanceTimersByTimeAsync(399);
    expect(releaseDue).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(10);
    expect(releaseDue).toHaveBeenCalledTimes(2);
  });

  it('leaves later emails, and ones due already (held by a cancel), to the scheduled passes', async () => {
    for (const offset of [5_000, 0, -2_000]) {
      nextDue = new Date(Date.now() + offset);
      await sut.run();
    }
    await jest.advanceTimersByTimeAsync(10_000);
    expect(releaseDue).toHaveBeenCalledTimes(3);
  });

  it('sets no timer once the app is shutting down', async () => {
    sut.onModuleDestroy();
    nextDue = new Date(Date.now() + 400);
    await sut.run();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(releaseDue).toHaveBeenCalledTimes(1);
  });
});
