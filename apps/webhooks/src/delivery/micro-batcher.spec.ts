import { MicroBatcher } from './micro-batcher';

describe(MicroBatcher.name, () => {
  it('hands calls made in the same turn to one run, and each caller its own result', async () => {
    const batches: number[][] = [];
    const sut = new MicroBatcher<number, number>(async (inputs) => {
      batches.push(inputs);
      return inputs.map((n) => n * 10);
    });
    const results = await Promise.all([1, 2, 3].map((n) => sut.submit(n)));
    expect(results).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('splits at the batch size and keeps no more runs going than allowed', async () => {
    let running = 0;
    let most = 0;
    const sizes: number[] = [];
    const sut = new MicroBatcher<number, number>(
      async (inputs) => {
        running += 1;
        most = Math.max(most, running);
        sizes.push(inputs.length);
        await new Promise((r) => setTimeout(r, 5));
        running -= 1;
        return inputs;
      },
      2,
      1,
    );
    await Promise.all([1, 2, 3, 4, 5].map((n) => sut.submit(n)));
    expect(sizes).toEqual([2, 2, 1]);
    expect(most).toBe(1);
  });

  it('rejects every caller of a failed run, and later calls still work', async () => {
    let fail = true;
    const sut = new MicroBatcher<number, number>(async (inputs) => {
      if (fail) throw new Error('database down');
      return inputs;
    });
    await expect(Promise.all([sut.submit(1), sut.submit(2)])).rejects.toThrow('database down');
    fail = false;
    await expect(sut.submit(3)).resolves.toBe(3);
  });
});
