import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import {
  addressListError,
  attachmentListError,
  contentError,
  contentTypeError,
  decodedLength,
  displayNameError,
  extensionOf,
  filenameError,
  headerError,
  headersError,
  MAX_ATTACHMENT_BYTES,
  recipientsError,
  tagListError,
  tagPartError,
} from './message-option-rules';
import { SendEmailDto } from './send-email.dto';

const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('message option rules', () => {
  it('accepts a display name and refuses line breaks and encoded words', () => {
    expect(displayNameError('Zoë Shop')).toBeUndefined();
    expect(displayNameError('Eve\r\nBcc: x@y.z')).toMatch(/CR, LF/);
    expect(displayNameError('=?UTF-8?B?QQ==?=')).toMatch(/encoded-word/);
    expect(displayNameError('x'.repeat(257))).toMatch(/at most 256/);
  });

  it('checks address lists item by item, and to, cc and bcc together', () => {
    expect(addressListError('cc', ['a@example.com', 'b@example.com'], 49)).toBeUndefined();
    expect(addressListError('cc', ['a@example.com', 'nope'], 49)).toMatch(/^cc\[1\] /);
    expect(addressListError('cc', ['a@example.com', 'A@EXAMPLE.com'], 49)).toMatch(/^cc\[1\] repeats/);
    expect(addressListError('cc', 'a@example.com', 49)).toMatch(/array/);
    const many = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}@example.com`);
    expect(recipientsError('to@example.com', many('c', 25), many('b', 24))).toBeUndefined();
    expect(recipientsError('to@example.com', many('c', 25), many('b', 25))).toMatch(/at most 50/);
    expect(recipientsError('to@example.com', [], ['TO@example.com'])).toMatch(/^bcc\[0\] is already a recipient/);
  });

  it('allows X-* and a few safe headers, and refuses overrides, reserved names, bad names and values', () => {
    expect(headerError('X-Campaign', 'a b\tc')).toBeUndefined();
    expect(headerError('In-Reply-To', '<a@b>')).toBeUndefined();
    for (const name of [
      'From',
      'to',
      'Cc',
      'Subject',
      'Reply-To',
      'List-Unsubscribe',
      'Message-ID',
      'Date',
      'Content-Type',
      'MIME-Version',
      'Return-Path',
    ])
      expect(headerError(name, 'x')).toMatch(/cannot be set/);
    expect(headerError('X-Postline-Email-Id', 'x')).toMatch(/reserved/);
    expect(headerError('X-SES-CONFIGURATION-SET', 'x')).toMatch(/reserved/);
    expect(headerError('X Space', 'x')).toMatch(/not a header name/);
    expect(headerError('X-Colon:', 'x')).toMatch(/not a header name/);
    expect(headerError('X-Ünicode', 'x')).toMatch(/not a header name/);
    expect(headerError('X-A', 'a\r\nBcc: b@c.d')).toMatch(/CR, LF/);
    expect(headerError('X-A', 'é')).toMatch(/US-ASCII/);
    expect(headerError('X-A', '')).toMatch(/1 to 870/);
    expect(headerError('X-A', 'x'.repeat(871))).toMatch(/1 to 870/);
    expect(headersError({ 'X-A': 'a', 'x-a': 'b' })).toMatch(/given twice/);
    expect(headersError(Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`X-${i}`, 'v'])))).toMatch(
      /at most 10/,
    );
    expect(headersError(['X-A'])).toMatch(/object/);
  });

  it('follows SES EmailTags rules and keeps Postline tag names', () => {
    expect(tagPartError('winter-sale_2')).toBeUndefined();
    expect(tagPartError('a b')).toMatch(/ASCII letters/);
    expect(tagPartError('a:b')).toMatch(/ASCII letters/);
    expect(tagPartError('')).toMatch(/1 to 256/);
    expect(tagPartError('x'.repeat(257))).toMatch(/1 to 256/);
    expect(
      tagListError([
        { name: 'a', value: '1' },
        { name: 'a', value: '2' },
      ]),
    ).toMatch(/given twice/);
    expect(tagListError([{ name: 'account_id', value: '1' }])).toMatch(/reserved/);
    expect(tagListError(Array.from({ length: 49 }, (_, i) => ({ name: `t${i}`, value: 'v' })))).toMatch(/at most 48/);
  });

  it('refuses executables by extension, content type and content, and paths or control characters in names', () => {
    expect(filenameError('invoice.pdf')).toBeUndefined();
    for (const name of [
      'setup.exe',
      'run.BAT',
      'x.cmd',
      'x.com',
      'app.js',
      'm.vbs',
      's.scr',
      'lib.jar',
      'pkg.msi',
      'invoice.pdf.exe',
      'trail.exe. .',
    ])
      expect(filenameError(name)).toMatch(/executable/);
    expect(extensionOf('trail.exe. .')).toBe('exe');
    expect(filenameError('../x.pdf')).toMatch(/not a path/);
    expect(filenameError('C:\\x.pdf')).toMatch(/not a path/);
    expect(filenameError('a\r\nb.pdf')).toMatch(/control characters/);
    expect(contentTypeError('application/pdf')).toBeUndefined();
    expect(contentTypeError('application/x-msdownload')).toMatch(/executable/);
    expect(contentTypeError('Application/Java-Archive')).toMatch(/executable/);
    expect(contentTypeError('text/plain; charset=utf-8')).toMatch(/MIME type/);
    expect(contentError(b64('hello'))).toBeUndefined();
    expect(contentError('aGVsbG8')).toMatch(/base64/);
    expect(contentError('aGVs\nbG8=')).toMatch(/base64/);
    expect(contentError(b64('MZ\x90\x00rest'))).toMatch(/executable program/);
    expect(contentError(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1]).toString('base64'))).toMatch(/executable program/);
  });

  it('counts decoded bytes without decoding, and limits their total', () => {
    for (const text of ['', 'a', 'ab', 'abc', 'abcd']) expect(decodedLength(b64(text))).toBe(text.length);
    const half = 'A'.repeat(((MAX_ATTACHMENT_BYTES / 2 + 3) / 3) * 4);
    expect(attachmentListError([{ content: half }, { content: half }])).toMatch(/together/);
  });

  it('names the nested field when the DTO refuses an attachment or tag', () => {
    const dto = plainToInstance(SendEmailDto, {
      to: 'a@example.com',
      from: 'b@example.com',
      text: 't',
      subject: 's',
      tags: [{ name: 'ok', value: 'bad value' }],
      attachments: [{ filename: 'x.pdf', contentType: 'application/pdf' }],
    });
    const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });
    const fields = errors.flatMap((e) =>
      (e.children ?? []).flatMap((c) => (c.children ?? []).map((g) => `${e.property}[${c.property}].${g.property}`)),
    );
    expect(fields.sort()).toEqual(['attachments[0].content', 'tags[0].value']);
  });
});
