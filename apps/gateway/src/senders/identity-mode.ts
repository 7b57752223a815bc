/**
 * How sender identities are verified. `ses`: CreateEmailIdentity starts SES's verification and the periodic
 * sync reads the outcome. `auto-verify`: identities are verified at once without calling SES, a development
 * mode for the local emulator, which has no identity API.
 */
export type IdentityMode = 'ses' | 'auto-verify';

/** The configured mode; unset, auto-verify only with a local SES (SES_ENDPOINT), never against AWS. */
export function resolveIdentityMode(env: { SES_IDENTITY_MODE?: IdentityMode; SES_ENDPOINT?: string }): IdentityMode {
  return env.SES_IDENTITY_MODE ?? (env.SES_ENDPOINT ? 'auto-verify' : 'ses');
}
