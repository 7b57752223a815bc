import { WorkerHost } from '@nestjs/bullmq';
import type { DiscoveryService } from '@nestjs/core';
import { DelayedError, type Job, type Worker } from 'bullmq';
import type { Pool } from 'pg';
import { PostgresOutage } from './postgres-outage.service';

class FakeHost extends WorkerHost {
  process(): Promise<void> {
    return Promise.resolve();
  }
}

function fakeWorker(state: { running: boolean; paused: boolean }) {
  return {
    isRunning: () => state.running,
    isPaused: () => state.paused,
    pause: jest.fn(async () => void (state.paused = true)),
    resume: jest.fn(async () => void (state.paused = false)),
    closing: undefined,
  };
}

function setup() {
  const running = fakeWorker({ running: true, paused: false });
  const pausedByItsApp = fakeWorker({ running: true, paused: true });
  const hosts = [running, pausedByItsApp].map((worker) => {
    const host = new FakeHost();
    Object.defineProperty(host, 'worker', { value: worker as unknown as Worker });
    return { instance: host };
  });
  let up = false;
  const pool = { query: jest.fn(async () => (up ? { rows: [] } : Promise.reject(new Error('connect ECONNREFUSED')))) };
  const discovery = { getProviders: () => hosts } as unknown as DiscoveryService;
  const sut = new PostgresOutage(pool as unknown as Pool, discovery);
  return { sut, running, pausedByItsApp, pool, back: () => (up = true) };
}

const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

describe(PostgresOutage.name, () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('leaves the workers alone for an error that is not about the connection', () => {
    const { sut, running } = setup();
    expect(sut.report(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
    expect(running.pause).not.toHaveBeenCalled();
    expect(sut.downSince).toBeNull();
  });

  it('pauses the running workers once, and resumes only those when a probe query succeeds', async () => {
    const { sut, running, pausedByItsApp, pool, back } = setup();
    expect(sut.report(refused)).toBe(true);
    expect(sut.report(refused)).toBe(true);
    expect(running.pause).toHaveBeenCalledTimes(1);
    expect(running.pause).toHaveBeenCalledWith(true);
    expect(pausedByItsApp.pause).not.toHaveBeenCalled();
    expect(sut.downSince).toBeInstanceOf(Date);

    await jest.advanceTimersByTimeAsync(1_000);
    expect(pool.query).toHaveBeenCalledTimes(1);
    expect(running.resume).not.toHaveBeenCalled();

    back();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(running.resume).toHaveBeenCalledTimes(1);
    expect(pausedByItsApp.resume).not.toHaveBeenCalled();
    expect(sut.downSince).toBeNull();
  });

  it('sends a job met by the outage back to the queue, delayed, without using an attempt', async () => {
    const { sut } = setup();
    const job = { moveToDelayed: jest.fn(async () => undefined) } as unknown as Job;
    await expect(sut.guard(job, 'token', () => Promise.reject(refused))).rejects.toBeInstanceOf(DelayedError);
    expect(job.moveToDelayed).toHaveBeenCalledWith(expect.any(Number), 'token');

    const own = new Error('malformed');
    await expect(sut.guard(job, 'token', () => Promise.reject(own))).rejects.toBe(own);
    await expect(sut.guard(job, 'token', () => Promise.resolve(42))).resolves.toBe(42);
  });
});
