import { redactUrl } from './redact-url';

describe(redactUrl.name, () => {
  it.each([
    ['/emails?api_key=pl_live_abc', '/emails?api_key=[REDACTED]'],
    ['/emails?limit=10&key=secret', '/emails?limit=10&key=[REDACTED]'],
    ['/emails?X-Api-Key=abc&status=SENT', '/emails?X-Api-Key=[REDACTED]&status=SENT'],
    ['/emails?cursor=pl_live_abc', '/emails?cursor=[REDACTED]'],
    ['/emails?cursor=pl%5Flive%5Fabc', '/emails?cursor=[REDACTED]'],
    ['/emails?access_token=t&token=u', '/emails?access_token=[REDACTED]&token=[REDACTED]'],
  ])('redacts %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });

  it('leaves URLs without secrets as they are', () => {
    for (const url of ['/emails', '/emails?status=SENT&limit=5', '/emails?flag', '/e?x=%E0%A4%A'])
      expect(redactUrl(url)).toBe(url);
  });
});
