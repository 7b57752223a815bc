import { verifyUnsubscribeToken } from '@postline/contracts';
import { buildSendEmailInput, type OutgoingEmail } from './message-builder';

describe(buildSendEmailInput.name, () => {
  const settings = {
    publicBaseUrl: 'https://mail.example.com/',
    unsubscribeSecret: 'secret-0123456789abcdef',
    localMode: false,
  };
  const email: OutgoingEmail = {
    id: '0b9c2b7e-5d2a-4c41-9f7a-1d2e3f405162',
    accountId: 'f0e1d2c3-b4a5-4697-8879-6a5b4c3d2e1f',
    to: 'user@example.com',
    from: 'promo@shop.test',
    alias: 'New User',
    subject: 'EliPackage Promo',
    text: 'we have a new offer this week',
    unsubscribeMsg: 'Stop these emails',
  };
  const headerValue = (input: ReturnType<typeof buildSendEmailInput>, name: string) =>
    input.Content?.Simple?.Headers?.find((h) => h.Name === name)?.Value;

  it('sends plain text with the unsubscribe text and URL, and the one-click headers', () => {
    const sut = buildSendEmailInput(email, settings);
    const text = sut.Content?.Simple?.Body?.Text?.Data ?? '';
    const link = /^Stop these emails: (https:\/\/mail\.example\.com\/unsubscribe\/(\S+))$/m.exec(text);
    expect(link).not.toBeNull();
    expect(text.startsWith('we have a new offer this week\n\n')).toBe(true);
    expect(sut.Content?.Simple?.Body?.Html).toBeUndefined();
    expect(verifyUnsubscribeToken((link as RegExpExecArray)[2], settings.unsubscribeSecret)).toEqual({
      emailId: email.id,
      accountId: email.accountId,
    });
    expect(headerValue(sut, 'List-Unsubscribe')).toBe(`<${(link as RegExpExecArray)[1]}>`);
    expect(headerValue(sut, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(headerValue(sut, 'X-Postline-Email-Id')).toBeUndefined();
  });

  it('sends HTML with a link in the body and a generated text alternative', () => {
    const sut = buildSendEmailInput({ ...email, text: '<html><body><p>Big <b>sale</b></p></body></html>' }, settings);
    const html = sut.Content?.Simple?.Body?.Html?.Data ?? '';
    expect(html).toMatch(
      /<a href="https:\/\/mail\.example\.com\/unsubscribe\/[\w.-]+">Stop these emails<\/a><\/p>\n<\/body><\/html>$/,
    );
    const text = sut.Content?.Simple?.Body?.Text?.Data ?? '';
    expect(text).toContain('Big sale');
    expect(text).toMatch(/^Big sale\n\nStop these emails: https:\/\/mail\.example\.com\/unsubscribe\/[\w.-]+\n$/);
    expect(text).not.toContain('<');
  });

  it('escapes the anchor text inside HTML', () => {
    const sut = buildSendEmailInput({ ...email, text: '<p>x</p>', unsubscribeMsg: '<script>x</script>' }, settings);
    expect(sut.Content?.Simple?.Body?.Html?.Data).toContain('>&#60;script&#62;x&#60;/script&#62;</a>');
  });

  it('tags the message with email and account ids and names the configuration set', () => {
    const sut = buildSendEmailInput(email, { ...settings, configurationSet: 'postline-events' });
    expect(sut.EmailTags).toEqual([
      { Name: 'email_id', Value: email.id },
      { Name: 'account_id', Value: email.accountId },
    ]);
    expect(sut.ConfigurationSetName).toBe('postline-events');
    expect(buildSendEmailInput(email, settings).ConfigurationSetName).toBeUndefined();
  });

  it('adds the email id header in local mode', () => {
    expect(headerValue(buildSendEmailInput(email, { ...settings, localMode: true }), 'X-Postline-Email-Id')).toBe(
      email.id,
    );
  });

  it('puts the alias as display name and keeps line breaks out of subject and To', () => {
    const sut = buildSendEmailInput({ ...email, subject: 'Hi\r\nBcc: x@y.test', alias: 'A\nB' }, settings);
    expect(sut.Destination?.ToAddresses).toEqual(['"A B" <user@example.com>']);
    expect(sut.Content?.Simple?.Subject?.Data).toBe('Hi  Bcc: x@y.test');
    expect(sut.FromEmailAddress).toBe('promo@shop.test');
  });

  it('falls back to "Unsubscribe" for an empty anchor text', () => {
    const sut = buildSendEmailInput({ ...email, unsubscribeMsg: ' ' }, settings);
    expect(sut.Content?.Simple?.Body?.Text?.Data).toMatch(/\nUnsubscribe: https:/);
  });

  it('sends an html body with text as its plain part, or a generated one when text is empty', () => {
    const both = buildSendEmailInput({ ...email, html: '<p>Big <b>sale</b></p>', text: 'Big sale' }, settings);
    expect(both.Content?.Simple?.Body?.Html?.Data).toMatch(/^<p>Big <b>sale<\/b><\/p>\n<p style=/);
    expect(both.Content?.Simple?.Body?.Text?.Data).toMatch(/^Big sale\n\nStop these emails: https:/);
    const htmlOnly = buildSendEmailInput({ ...email, html: '<p>Big <b>sale</b></p>', text: '' }, settings);
    expect(htmlOnly.Content?.Simple?.Body?.Text?.Data).toMatch(/^Big sale\n\nStop these emails: https:/);
  });
});

describe('buildSendEmailInput with message options', () => {
  const settings = {
    publicBaseUrl: 'https://mail.example.com/',
    unsubscribeSecret: 'secret-0123456789abcdef',
    configurationSet: 'postline',
    untrackedConfigurationSet: 'postline-untracked',
    localMode: false,
  };
  const email: OutgoingEmail = {
    id: '0b9c2b7e-5d2a-4c41-9f7a-1d2e3f405162',
    accountId: 'f0e1d2c3-b4a5-4697-8879-6a5b4c3d2e1f',
    to: 'user@example.com',
    from: 'promo@shop.test',
    alias: null,
    subject: 'Promo',
    text: '<p><a href="https://shop.test/a">A</a> <A class="x" href=\'https://shop.test/b\'>B</A> <a ses:no-track href="https://shop.test/c">C</a> <abbr>x</abbr></p>',
    unsubscribeMsg: 'Unsubscribe',
    options: {
      fromName: 'Zoë "Shop"',
      cc: ['carl@example.com'],
      bcc: ['hidden@example.com'],
      replyTo: ['help@shop.test'],
      headers: { 'X-Campaign': 'winter' },
      tags: [{ name: 'campaign', value: 'winter-sale' }],
      tracking: { opens: false, clicks: false },
      attachments: [{ filename: 'a.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF') }],
    },
  };

  it('puts every option in its SES field, with Postline tags and headers after the customer ones', () => {
    const sut = buildSendEmailInput(email, settings);
    expect(sut.FromEmailAddress).toBe('=?UTF-8?B?Wm/DqyAiU2hvcCI=?= <promo@shop.test>');
    expect(sut.Destination).toEqual({
      ToAddresses: ['user@example.com'],
      CcAddresses: ['carl@example.com'],
      BccAddresses: ['hidden@example.com'],
    });
    expect(sut.ReplyToAddresses).toEqual(['help@shop.test']);
    expect(sut.Content?.Simple?.Headers?.map((h) => h.Name)).toEqual([
      'X-Campaign',
      'List-Unsubscribe',
      'List-Unsubscribe-Post',
    ]);
    expect(sut.EmailTags).toEqual([
      { Name: 'campaign', Value: 'winter-sale' },
      { Name: 'email_id', Value: email.id },
      { Name: 'account_id', Value: email.accountId },
    ]);
    expect(sut.Content?.Simple?.Attachments).toEqual([
      {
        FileName: 'a.pdf',
        ContentType: 'application/pdf',
        ContentDisposition: 'ATTACHMENT',
        ContentTransferEncoding: 'BASE64',
        RawContent: Buffer.from('%PDF'),
      },
    ]);
  });

  it('turns click tracking off per link and open tracking off with the untracked configuration set', () => {
    const sut = buildSendEmailInput(email, settings);
    const html = sut.Content?.Simple?.Body?.Html?.Data ?? '';
    expect(html).toContain('<a ses:no-track href="https://shop.test/a">');
    expect(html).toContain('<a ses:no-track class="x" href=\'https://shop.test/b\'>');
    expect(html).toContain('<a ses:no-track href="https://shop.test/c">');
    expect(html).toContain('<abbr>x</abbr>');
    expect(sut.ConfigurationSetName).toBe('postline-untracked');

    const tracked = buildSendEmailInput({ ...email, options: { ...email.options!, tracking: null } }, settings);
    expect(tracked.Content?.Simple?.Body?.Html?.Data).not.toContain('ses:no-track href="https://shop.test/a"');
    expect(tracked.ConfigurationSetName).toBe('postline');
  });

  it('sends a plain email exactly as before when it has no options', () => {
    const sut = buildSendEmailInput({ ...email, options: undefined, text: 'plain' }, settings);
    expect(sut.FromEmailAddress).toBe('promo@shop.test');
    expect(sut.Destination).toEqual({ ToAddresses: ['user@example.com'] });
    expect(sut.ReplyToAddresses).toBeUndefined();
    expect(sut.Content?.Simple?.Attachments).toBeUndefined();
  });
});
