import { findUnstorableText, storableText } from './storable-text';

describe(findUnstorableText.name, () => {
  it('names the first field holding U+0000 or a lone surrogate, nested and in arrays', () => {
    expect(findUnstorableText({ a: 'ok', b: [{ c: 'x\u0000' }] }, '')).toEqual({
      field: 'b[0].c',
      message: 'b[0].c must not contain the character U+0000 (NUL)',
    });
    expect(findUnstorableText({ s: 'x\udc00' }, '')?.message).toContain('unpaired UTF-16 surrogate');
  });

  it('checks field names too', () => {
    expect(findUnstorableText({ settings: { ['k\u0000']: true } }, '')?.field).toBe('settings.k\\u0000');
  });

  it('accepts well-formed text: surrogate pairs, other control characters, non-strings', () => {
    expect(findUnstorableText({ a: '😀 ü \t', n: 1, b: null, t: true, l: ['x'] }, '')).toBeUndefined();
  });
});

describe(storableText.name, () => {
  it('replaces U+0000 and lone surrogates by U+FFFD everywhere, keeping the rest', () => {
    expect(storableText({ a: ['x\u0000y'], ['k\ud800']: 'z 😀', n: 2 })).toEqual({
      a: ['x\ufffdy'],
      ['k\ufffd']: 'z 😀',
      n: 2,
    });
  });
});
