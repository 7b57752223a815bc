import { FAST_CHECK, type FastCheck } from '@postline/http';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidatorOptions } from 'class-validator';
import { SendBatchDto } from './send-batch.dto';
import { SendEmailDto } from './send-email.dto';
import { SendEmailQuery } from './send-email.query';

// The pipe's options (POST /emails) and the batch's (each message of POST /emails/batch).
const OPTION_SETS: ValidatorOptions[] = [
  { whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: true },
  { whitelist: true, forbidNonWhitelisted: true },
];

/** What class-transformer and class-validator make of a body: the instance when valid, else undefined. */
function slow<T extends object>(type: new () => T, plain: object): T | undefined {
  const verdicts = OPTION_SETS.map((options) => {
    const instance = plainToInstance(type, plain);
    return validateSync(instance, options).length === 0 ? instance : undefined;
  });
  expect(verdicts[0] === undefined).toBe(verdicts[1] === undefined);
  return verdicts[0];
}

/** Compares the fast check with class-validator on a body: never accepts more, and builds the same instance. */
function expectAgreement<T extends object>(type: new () => T, check: FastCheck<T>, plain: Record<string, unknown>) {
  const fast = check(plain);
  const expected = slow(type, plain);
  if (fast === undefined) return expected !== undefined;
  expect({ plain, valid: expected !== undefined }).toEqual({ plain, valid: true });
  expect(fast).toBeInstanceOf(type);
  expect(fast).toStrictEqual(expected);
  expect(Object.keys(fast)).toEqual(Object.keys(expected as object));
  return false;
}

/** A small deterministic PRNG, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

const ABSENT = Symbol('absent');

const STRINGS = ['', ' ', 'x', 'Hello', 'a\r\nb', 'a\nb', 'a\u0000b', 'ünïcödé', '😀', 42, true, null, [], {}, ['x']];
const long = (n: number, unit = 'x') => unit.repeat(n);
const ADDRESSES = [
  'success@simulator.amazonses.com',
  'promo@elipackage.test',
  'Jane.Doe+tag@Example.COM',
  'user@bücher.example',
  'a@b',
  'not-an-address',
  '@example.com',
  'x@',
  'a..b@example.com',
  `${long(64)}@example.com`,
  `${long(65)}@example.com`,
  `a@${long(63)}.com`,
  `a@${long(64)}.com`,
  'a\r\n@example.com',
  'ä@example.com',
];
const CALLBACKS = [
  ['https://example.com/hook'],
  ['http://localhost:8080/x', 'https://a.example/h?x=1'],
  [],
  ['ftp://example.com/x'],
  ['example.com/no-protocol'],
  ['javascript:alert(1)'],
  [`https://example.com/${long(2030)}`],
  [`https://example.com/${long(2040)}`],
  Array(10).fill('https://example.com/h'),
  Array(11).fill('https://example.com/h'),
  'https://a.example/h, https://b.example/h',
  ' , ,',
  'https://a.example/h,javascript:x',
  [42],
  [null],
  42,
  {},
];

const FIELD_VALUES: Record<string, unknown[]> = {
  to: [...ADDRESSES, ...STRINGS, ABSENT],
  from: [...ADDRESSES, ...STRINGS, ABSENT],
  text: [...STRINGS, long(1_000_000), long(1_000_001), long(500_001, '😀'), ABSENT],
  subject: [...STRINGS, long(998), long(999), `${long(997)}😀`, `${long(998)}\uFE0F`, ABSENT],
  externalId: [...STRINGS, long(255), long(256), ABSENT],
  clientId: [...STRINGS, long(255), long(256), ABSENT],
  callbacks: [...CALLBACKS, null, ABSENT],
  alias: [...STRINGS, long(256), long(257), ABSENT],
  bcc: [ABSENT, ABSENT, ABSENT, ABSENT, ABSENT, ABSENT, 'x@y.z', undefined],
  templateId: [ABSENT, ABSENT, ABSENT, '6ed76b50-6a24-4260-a186-ea1e03f1c583', 'nope', 42, null],
  templateVersion: [ABSENT, ABSENT, ABSENT, 1, 2, 0, -1, 1.5, '1', null],
  variables: [ABSENT, ABSENT, { a: 1, b: { c: 'x' } }, {}, [], 'x', null, { big: long(17_000) }],
  html: [ABSENT, ABSENT, '<p>{{a}}</p>', '', long(1_000_001), 42, null],
};

const TEMPLATED: Record<string, unknown> = {
  to: 'success@simulator.amazonses.com',
  from: 'promo@elipackage.test',
  templateId: '6ed76b50-6a24-4260-a186-ea1e03f1c583',
  templateVersion: 3,
  variables: { firstName: 'Zoë', order: { id: 'A-1' } },
};

const VALID: Record<string, unknown> = {
  to: 'success@simulator.amazonses.com',
  from: 'promo@elipackage.test',
  text: '<p>We have a <b>new offer</b> this week.</p>',
  subject: 'EliPackage Promo',
  externalId: '123456789abcde',
  clientId: '48118112',
  callbacks: ['https://example.com/hook'],
  alias: 'New User',
};

describe('fast checks of the hot DTOs', () => {
  it('accept the documented sample and build the instance class-transformer builds', () => {
    expect(SendEmailDto[FAST_CHECK](VALID)).toBeInstanceOf(SendEmailDto);
    expectAgreement(SendEmailDto, SendEmailDto[FAST_CHECK], VALID);
    const minimal = { to: VALID.to, from: VALID.from, text: 'hi', subject: 'Hi' };
    expect(SendEmailDto[FAST_CHECK](minimal)).toBeDefined();
    expectAgreement(SendEmailDto, SendEmailDto[FAST_CHECK], minimal);
    const asString = { ...VALID, callbacks: 'https://a.example/h, https://b.example/h' };
    expect(SendEmailDto[FAST_CHECK](asString)?.callbacks).toEqual(['https://a.example/h', 'https://b.example/h']);
    expectAgreement(SendEmailDto, SendEmailDto[FAST_CHECK], asString);
  });

  it('never accept a SendEmailDto body that class-validator refuses (one field changed at a time)', () => {
    for (const base of [VALID, TEMPLATED]) {
      for (const [field, values] of Object.entries(FIELD_VALUES)) {
        for (const value of values) {
          const body: Record<string, unknown> = { ...base };
          if (value === ABSENT) delete body[field];
          else body[field] = value;
          expectAgreement(SendEmailDto, SendEmailDto[FAST_CHECK], body);
        }
      }
    }
  });

  it('accept a templated message and an inline personalized one as class-validator does', () => {
    expect(SendEmailDto[FAST_CHECK](TEMPLATED)).toBeInstanceOf(SendEmailDto);
    expectAgreement(SendEmailDto, SendEmailDto[FAST_CHECK], TEMPLATED);
    const inline = { ...VALID, html: '<b>{{n}}</b>', variables: { n: 1 } };
    expect(SendEmailDto[FAST_CHECK](inline)).toBeDefined();
    expectAgreement(SendEmailDto, SendEmailDto[FAST_CHECK], inline);
  });

  it('never accept a SendEmailDto body that class-validator refuses (random bodies)', () => {
    const next = random(20240611);
    const pick = <T>(values: T[]) => values[Math.floor(next() * values.length)];
    let acceptedByBoth = 0;
    let leftToClassValidator = 0;
    for (let i = 0; i < 1500; i++) {
      const body: Record<string, unknown> = {};
      for (const [field, values] of Object.entries(FIELD_VALUES)) {
        // Mostly valid fields, so that bodies the fast check accepts are common too.
        // Fields the sample lacks (personalization, unknown ones) mostly stay absent.
        const value =
          field in VALID ? (next() < 0.7 ? VALID[field] : pick(values)) : next() < 0.8 ? ABSENT : pick(values);
        if (value !== ABSENT && value !== undefined) body[field] = value;
      }
      if (expectAgreement(SendEmailDto, SendEmailDto[FAST_CHECK], body)) leftToClassValidator += 1;
      else if (SendEmailDto[FAST_CHECK](body)) acceptedByBoth += 1;
    }
    expect(acceptedByBoth).toBeGreaterThan(100);
    // Valid bodies the fast check leaves to class-validator (lengths counted differently) stay rare.
    expect(leftToClassValidator).toBeLessThan(acceptedByBoth / 10);
  });

  it('agree on SendEmailQuery', () => {
    for (const value of [...STRINGS, long(200), long(201), 'Stop these', ABSENT]) {
      const query: Record<string, unknown> = value === ABSENT ? {} : { unsubscribeMsg: value };
      expectAgreement(SendEmailQuery, SendEmailQuery[FAST_CHECK], query);
      expectAgreement(SendEmailQuery, SendEmailQuery[FAST_CHECK], { ...query, other: 'x' });
    }
    expect(SendEmailQuery[FAST_CHECK]({})).toStrictEqual(new SendEmailQuery());
    expect(SendEmailQuery[FAST_CHECK]({ unsubscribeMsg: 'Stop' })?.unsubscribeMsg).toBe('Stop');
  });

  it('agree on SendBatchDto, whose messages are left as parsed', () => {
    for (const messages of [[], [VALID], Array(1000).fill(VALID), Array(1001).fill(VALID), 'x', null, {}, ['x']]) {
      const fast = SendBatchDto[FAST_CHECK]({ messages });
      const expected = slow(SendBatchDto, { messages });
      expect(fast === undefined).toBe(expected === undefined);
      if (fast) expect(fast.messages).toEqual(expected?.messages);
      expect(SendBatchDto[FAST_CHECK]({ messages, other: 1 })).toBeUndefined();
    }
  });
});
