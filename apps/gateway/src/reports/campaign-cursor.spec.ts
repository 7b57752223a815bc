import { ApiError } from '@postline/http';
import { decodeCampaignCursor, encodeCampaignCursor } from './campaign-cursor';

describe('campaign cursor', () => {
  it('round-trips any externalId, separators included', () => {
    const cursor = { lastActivityAt: '2026-03-01T10:00:00.123Z', externalId: 'a|b,"c"/ü' };
    expect(decodeCampaignCursor(encodeCampaignCursor(cursor))).toEqual(cursor);
  });

  it.each([
    '',
    'not-base64!',
    Buffer.from('["x","y"]').toString('base64url'),
    Buffer.from('{"a":1}').toString('base64url'),
  ])('refuses %p as a validation error', (value) => {
    expect(() => decodeCampaignCursor(value)).toThrow(ApiError);
  });
});
