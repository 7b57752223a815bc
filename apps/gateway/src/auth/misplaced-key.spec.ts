import { misplacedKey } from './misplaced-key';

describe(misplacedKey.name, () => {
  const none = { query: {}, headers: {}, body: undefined };

  it('finds a key sent as a query parameter, another header or a body field', () => {
    expect(misplacedKey({ ...none, query: { api_key: 'x' } })).toBe('query.api_key');
    expect(misplacedKey({ ...none, query: { limit: '5', 'x-api-key': 'x' } })).toBe('query.x-api-key');
    expect(misplacedKey({ ...none, headers: { 'x-api-key': 'x' } })).toBe('header.x-api-key');
    expect(misplacedKey({ ...none, body: { to: 'a@b.test', apiKey: 'x' } })).toBe('body.apiKey');
  });

  it('finds a Postline key under any name', () => {
    expect(misplacedKey({ ...none, query: { cursor: 'pl_live_abc' } })).toBe('query.cursor');
    expect(misplacedKey({ ...none, body: { subject: 'pl_live_abc' } })).toBe('body.subject');
  });

  it('finds nothing in an ordinary request', () => {
    expect(
      misplacedKey({ query: { status: 'SENT' }, headers: { authorization: 'Bearer x' }, body: [{ key: 1 }] }),
    ).toBe(undefined);
    expect(misplacedKey({ ...none, body: { messages: [{ apiKey: 'x' }] } })).toBe(undefined);
  });
});
