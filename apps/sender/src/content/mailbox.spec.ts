import { HEADER_BREAKERS } from '@postline/contracts';
import { encodeWords, formatMailbox, headerSafe } from './mailbox';

const decode = (encoded: string): string =>
  encoded
    .split(' ')
    .map((w) => /^=\?UTF-8\?B\?(.*)\?=$/.exec(w))
    .map((m) => Buffer.from((m as RegExpExecArray)[1], 'base64'))
    .reduce((acc, b) => Buffer.concat([acc, b]), Buffer.alloc(0))
    .toString('utf8');

describe(formatMailbox.name, () => {
  it('gives the bare address without a name', () => {
    expect(formatMailbox('a@b.test', null)).toBe('a@b.test');
    expect(formatMailbox('a@b.test', '  ')).toBe('a@b.test');
  });

  it('quotes an ASCII name, escaping quotes and backslashes', () => {
    expect(formatMailbox('a@b.test', 'New User')).toBe('"New User" <a@b.test>');
    expect(formatMailbox('a@b.test', 'Say "hi" \\ o/')).toBe('"Say \\"hi\\" \\\\ o/" <a@b.test>');
  });

  it('encodes a non-ASCII name as RFC 2047 words of at most 75 characters', () => {
    const name = 'Zoë Ångström — 東京の顧客さま、いつもありがとうございます 🎉';
    const formatted = formatMailbox('a@b.test', name);
    const [encoded] = formatted.split(' <');
    expect(formatted.endsWith(' <a@b.test>')).toBe(true);
    for (const word of encoded.split(' ')) {
      expect(word).toMatch(/^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/);
      expect(word.length).toBeLessThanOrEqual(75);
    }
    expect(decode(encoded)).toBe(name);
  });

  it('never lets CR, LF or NUL into the header', () => {
    const formatted = formatMailbox('a@b.test', 'Evil\r\nBcc: victim@x.test\u0000');
    expect(HEADER_BREAKERS.test(formatted)).toBe(false);
    expect(formatted).toBe('"Evil Bcc: victim@x.test" <a@b.test>');
  });
});

describe(encodeWords.name, () => {
  it('never splits a multi-byte character across words', () => {
    const text = '€'.repeat(40);
    for (const word of encodeWords(text).split(' ')) expect(decode(word)).toMatch(/^€+$/);
    expect(decode(encodeWords(text))).toBe(text);
  });
});

describe(headerSafe.name, () => {
  it('replaces line breaks and NUL', () => expect(headerSafe('a\r\nb\nc\u0000d')).toBe('a  b c d'));
});
