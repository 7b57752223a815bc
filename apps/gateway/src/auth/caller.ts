/** Who is calling: resolved from the API key on every request. */
export interface Caller {
  accountId: string;
  accountName: string;
  operatorId: string;
  operatorName: string;
}
