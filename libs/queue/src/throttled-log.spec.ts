import { ThrottledLog } from './throttled-log';

describe(ThrottledLog.name, () => {
  function setup(everyMs: number) {
    let now = 1_000_000;
    const logger = { warn: jest.fn() };
    const sut = new ThrottledLog(logger, everyMs, () => now);
    return { sut, logger, advance: (ms: number) => (now += ms) };
  }

  it('logs the first warning at once', () => {
    const { sut, logger } = setup(10_000);
    expect(sut.warn('redis away')).toBe(true);
    expect(logger.warn).toHaveBeenCalledWith('redis away');
  });

  it('drops the warnings within the interval and logs again once it has passed', () => {
    const { sut, logger, advance } = setup(10_000);
    sut.warn('first');
    advance(9_999);
    expect(sut.warn('second')).toBe(false);
    advance(1);
    expect(sut.warn('third')).toBe(true);
    expect(logger.warn.mock.calls).toEqual([['first'], ['third']]);
  });

  it('tells a message how many warnings were dropped since the last line', () => {
    const { sut, logger, advance } = setup(1_000);
    const line = (dropped: number) => `callback failed (${dropped} dropped)`;
    sut.warn(line);
    sut.warn(line);
    sut.warn(line);
    advance(1_000);
    sut.warn(line);
    sut.warn(line);
    expect(logger.warn.mock.calls).toEqual([['callback failed (0 dropped)'], ['callback failed (2 dropped)']]);
  });
});
