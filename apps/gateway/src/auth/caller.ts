/** Who is calling: resolved from the API key on every request. */
export interface Caller {
  accountId: string;
  accountName: string;
  operatorId: string;
  operatorName: string;
  apiKeyId: string;
  /** The account's own rate limits per window; null: the gateway's defaults. */
  rateLimitPerKey: number | null;
  rateLimitPerAccount: number | null;
}
