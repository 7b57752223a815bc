import { ApiError } from '@postline/http';

/** Opaque keyset cursor over (lastActivityAt desc, externalId asc) of the campaign list. */
export interface CampaignCursor {
  lastActivityAt: string;
  externalId: string;
}

export function encodeCampaignCursor(cursor: CampaignCursor): string {
  return Buffer.from(JSON.stringify([cursor.lastActivityAt, cursor.externalId])).toString('base64url');
}

export function decodeCampaignCursor(value: string): CampaignCursor {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString());
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(parsed[0]) &&
      typeof parsed[1] === 'string'
    ) {
      return { lastActivityAt: parsed[0], externalId: parsed[1] };
    }
  } catch {
    // Falls through to the validation error.
  }
  throw ApiError.validation([{ field: 'cursor', message: 'cursor is not one this API returned' }]);
}
