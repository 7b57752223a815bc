import type { ApiPropertyOptions } from '@nestjs/swagger';

/** OpenAPI shape of `rejectedByReason`: a count per rejecting status, absent when 0. */
export const BY_REASON_PROPERTY: ApiPropertyOptions = {
  type: 'object',
  additionalProperties: { type: 'integer' },
  example: { BAD_TO: 2, EXHAUSTED: 1 },
  description:
    'Emails rejected before sending, by the status that rejected them (BAD_TO, BAD_FROM, BLACKLISTED, BLOCKED_DUE_BAD_BEHAVIOUR, NOT_SENT, EXHAUSTED, INCOMPLETE).',
};
