/**
 * Whether the recipient domain check runs. Explicit MX_CHECK_ENABLED wins; unset, it runs against AWS and
 * not with the local SES emulator (SES_ENDPOINT) nor under tests (NODE_ENV=test), which stay offline.
 */
export function mxCheckEnabled(env: { MX_CHECK_ENABLED?: string; SES_ENDPOINT?: string; NODE_ENV?: string }): boolean {
  if (env.MX_CHECK_ENABLED !== undefined && env.MX_CHECK_ENABLED !== '')
    return /^(1|true|yes|on)$/i.test(env.MX_CHECK_ENABLED);
  return !env.SES_ENDPOINT && env.NODE_ENV !== 'test';
}
