import { isRoleAddress, parseMailbox } from './address';

describe(parseMailbox.name, () => {
  it('accepts and normalises a plain address', () => {
    expect(parseMailbox('Success@Simulator.AmazonSES.com')).toEqual({
      address: 'Success@simulator.amazonses.com',
      local: 'Success',
      domain: 'simulator.amazonses.com',
    });
  });

  it('converts an internationalised domain to Punycode', () => {
    expect(parseMailbox('user@bücher.example')).toMatchObject({ domain: 'xn--bcher-kva.example' });
  });

  it.each([
    ['no at sign', 'user.example.com', 'must be an email address'],
    ['empty local part', '@example.com', 'must be an email address'],
    ['a 65-character local part', `${'a'.repeat(65)}@example.com`, 'at most 64'],
    ['a non-ASCII local part', 'josé@example.com', 'ASCII'],
    ['a double dot', 'a..b@example.com', 'no leading, trailing or double dot'],
    ['a single-label domain', 'a@localhost', 'valid domain'],
    ['a 64-character label', `a@${'b'.repeat(64)}.com`, 'valid domain'],
    ['a CR LF injection', 'a@example.com\r\nBcc: victim@example.com', 'CR, LF or NUL'],
    ['a NUL byte', 'a\u0000@example.com', 'CR, LF or NUL'],
    ['a path over 254 characters', `${'a'.repeat(64)}@${Array(5).fill('b'.repeat(60)).join('.')}.com`, 'at most'],
  ])('refuses %s', (_name, input, message) => {
    const result = parseMailbox(input);
    expect('error' in result && result.error).toContain(message);
  });
});

describe(isRoleAddress.name, () => {
  it('recognises role mailboxes whatever their case or +tag', () => {
    expect(isRoleAddress('Postmaster')).toBe(true);
    expect(isRoleAddress('abuse+x')).toBe(true);
    expect(isRoleAddress('jane')).toBe(false);
  });
});
