import { trustProxySetting } from './trust-proxy';

describe('trustProxySetting', () => {
  it('trusts no proxy unless told', () => {
    expect(trustProxySetting(undefined)).toBe(false);
    expect(trustProxySetting('')).toBe(false);
    expect(trustProxySetting('false')).toBe(false);
  });

  it('reads hops, addresses and ranges, or any', () => {
    expect(trustProxySetting('1')).toBe(1);
    expect(trustProxySetting('10.0.0.0/8, 127.0.0.1')).toEqual(['10.0.0.0/8', '127.0.0.1']);
    expect(trustProxySetting('TRUE')).toBe(true);
  });
});
