import { GroupCommit } from './group-commit';

describe(GroupCommit.name, () => {
  it('runs items submitted together in one batch and returns each its result', async () => {
    const batches: number[][] = [];
    const sut = new GroupCommit<number, number>(async (items) => {
      batches.push(items);
      return items.map((i) => i * 10);
    });
    const results = await Promise.all([1, 2, 3].map((i) => sut.submit(i)));
    expect(results).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('caps batch size and concurrent batches, collecting what arrives meanwhile', async () => {
    let running = 0;
    let maxRunning = 0;
    const sizes: number[] = [];
    const sut = new GroupCommit<number, number>(
      async (items) => {
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        sizes.push(items.length);
        await new Promise((r) => setTimeout(r, 5));
        running -= 1;
        return items;
      },
      4,
      2,
    );
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => sut.submit(i)));
    expect(results).toEqual(Array.from({ length: 10 }, (_, i) => i));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(4);
    expect(maxRunning).toBeLessThanOrEqual(2);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(10);
  });

  it('rejects the items of a failed batch, and later batches still run', async () => {
    let fail = true;
    const sut = new GroupCommit<number, number>(async (items) => {
      if (fail) throw new Error('db down');
      return items;
    });
    await expect(Promise.all([sut.submit(1), sut.submit(2)])).rejects.toThrow('db down');
    fail = false;
    await expect(sut.submit(3)).resolves.toBe(3);
  });

  it('isolates a failing item: only it gets the error, the items beside it commit', async () => {
    const committed: number[] = [];
    let runs = 0;
    const sut = new GroupCommit<number, number>(async (items) => {
      runs += 1;
      if (items.includes(13)) throw new Error(`poisoned batch of ${items.length}`);
      committed.push(...items);
      return items;
    });
    const items = Array.from({ length: 40 }, (_, i) => i);
    const settled = await Promise.allSettled(items.map((i) => sut.submit(i)));
    expect(settled.filter((s) => s.status === 'rejected')).toEqual([
      { status: 'rejected', reason: new Error('poisoned batch of 1') },
    ]);
    expect((settled[13] as PromiseRejectedResult).reason).toEqual(new Error('poisoned batch of 1'));
    expect(committed.sort((a, b) => a - b)).toEqual(items.filter((i) => i !== 13));
    // Bisection: about 2·log2(40) runs, not one per item.
    expect(runs).toBeLessThanOrEqual(1 + 2 * Math.ceil(Math.log2(40)));
  });

  it('isolates several failing items in one batch', async () => {
    const sut = new GroupCommit<number, number>(async (items) => {
      if (items.some((i) => i % 10 === 3)) throw new Error('poisoned');
      return items;
    });
    const settled = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => sut.submit(i)));
    const failed = settled.flatMap((s, i) => (s.status === 'rejected' ? [i] : []));
    expect(failed).toEqual([3, 13, 23, 33, 43]);
  });

  it('does not split a batch when the failure is shared (database unavailable)', async () => {
    let runs = 0;
    const sut = new GroupCommit<number, number>(async () => {
      runs += 1;
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    });
    const settled = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => sut.submit(i)));
    expect(settled.every((s) => s.status === 'rejected')).toBe(true);
    expect(runs).toBe(1);
  });

  it('fails the whole batch when its items are interchangeable (isolate: false)', async () => {
    let runs = 0;
    const sut = new GroupCommit<undefined, number>(
      async () => {
        runs += 1;
        throw new Error('redis down');
      },
      10,
      1,
      { isolate: false },
    );
    const settled = await Promise.allSettled([sut.submit(undefined), sut.submit(undefined)]);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
    expect(runs).toBe(1);
  });
});
