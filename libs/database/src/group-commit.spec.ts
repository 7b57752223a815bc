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

  it('rejects every item of a failed batch, and later batches still run', async () => {
    let fail = true;
    const sut = new GroupCommit<number, number>(async (items) => {
      if (fail) throw new Error('db down');
      return items;
    });
    await expect(Promise.all([sut.submit(1), sut.submit(2)])).rejects.toThrow('db down');
    fail = false;
    await expect(sut.submit(3)).resolves.toBe(3);
  });
});
