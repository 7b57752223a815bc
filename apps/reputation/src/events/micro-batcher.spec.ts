import { MicroBatcher } from './micro-batcher';

const tick = () => new Promise((r) => setImmediate(r));

describe(MicroBatcher.name, () => {
  it('groups items submitted in the same turn into one batch', async () => {
    const batches: number[][] = [];
    const sut = new MicroBatcher<number>(async (items) => void batches.push(items), { maxBatch: 100, maxInFlight: 1 });

    await Promise.all([1, 2, 3].map((n) => sut.submit(n)));

    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('holds items while every slot is busy and sends them together when one frees, at most maxBatch at a time', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const sut = new MicroBatcher<number>(
      async (items) => {
        batches.push(items);
        if (batches.length === 1) await gate;
      },
      { maxBatch: 2, maxInFlight: 1 },
    );

    const first = sut.submit(0);
    await tick();
    const rest = [1, 2, 3, 4, 5].map((n) => sut.submit(n));
    await tick();
    expect(batches).toEqual([[0]]);
    expect(sut.pending).toBe(5);

    release();
    await Promise.all([first, ...rest]);
    expect(batches).toEqual([[0], [1, 2], [3, 4], [5]]);
  });

  it('runs up to maxInFlight batches at once', async () => {
    let running = 0;
    let most = 0;
    const sut = new MicroBatcher<number>(
      async () => {
        running++;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
      },
      { maxBatch: 1, maxInFlight: 3 },
    );

    await Promise.all(Array.from({ length: 10 }, (_, n) => sut.submit(n)));

    expect(most).toBe(3);
  });

  it('fails every submitter of a failed batch, and only them', async () => {
    const sut = new MicroBatcher<number>(
      async (items) => {
        if (items.includes(1)) throw new Error('database down');
      },
      { maxBatch: 1, maxInFlight: 2 },
    );

    const results = await Promise.allSettled([sut.submit(1), sut.submit(2)]);

    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled']);
  });
});
