import { FairShare } from './fair-share';

const row = (accountId: string, target: string) => ({ accountId, target });

describe(FairShare.name, () => {
  it('lets one target run its slots only, and one account its own', () => {
    const sut = new FairShare(2, 3, 0.5);
    const a1 = row('a', 'https://one.test');
    const a2 = row('a', 'https://two.test');
    const b1 = row('b', 'https://one.test');
    sut.started(a1);
    sut.started(a1);
    expect(sut.canStart(a1)).toBe(false);
    expect(sut.canStart(a2)).toBe(true);
    // Another account's target on the same origin is a target of its own.
    expect(sut.canStart(b1)).toBe(true);
    sut.started(a2);
    expect(sut.canStart(row('a', 'https://three.test'))).toBe(false);
    sut.finished(a1);
    expect(sut.canStart(a1)).toBe(true);
  });

  it('tells the claim what each target holds (in flight or ahead) and the most it may hold', () => {
    const sut = new FairShare(4, 6, 0.5);
    const a1 = row('a', 'https://one.test');
    sut.hold(a1);
    sut.hold(a1);
    sut.hold(row('b', 'https://two.test'));
    sut.started(a1);
    expect(sut.limits()).toEqual({
      perTarget: 6,
      perAccount: 9,
      held: [
        { accountId: 'a', target: 'https://one.test', n: 2 },
        { accountId: 'b', target: 'https://two.test', n: 1 },
      ],
    });
    sut.finished(a1);
    sut.unhold(a1);
    sut.unhold(row('b', 'https://two.test'));
    expect(sut.limits().held).toEqual([]);
  });

  it('gives every target and account one slot at least', () => {
    expect(FairShare.slots(100, 0.5)).toBe(50);
    expect(FairShare.slots(3, 0.1)).toBe(1);
  });

  it('says when a target held to its share has room for a batch again, once per batch', () => {
    const sut = new FairShare(4, 100, 0.5); // holds 6 of a target at most; a batch is 1
    const a = row('a', 'https://one.test');
    for (let i = 0; i < 6; i++) sut.hold(a);
    sut.started(a);
    sut.finished(a);
    expect(sut.regained(a)).toBe(true);
    sut.started(a);
    sut.finished(a);
    expect(sut.regained(a)).toBe(false);
  });
});
