import { EnvBoolean } from '@postline/config';
import { Transform } from 'class-transformer';
import { SesEnv } from '@postline/ses';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
} from 'class-validator';

/**
 * SES_ENDPOINT and SES_REGION come from SesEnv. With SES_ENDPOINT set (the local emulator),
 * SES_IDENTITY_MODE defaults to auto-verify and MX_CHECK_ENABLED to false.
 */
export class Env extends SesEnv {
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT = 3000;

  /** When set, the admin API and /metrics are served on this port only (keep it internal), not on PORT. */
  // The raw value: implicit conversion has already made "" a 0 by the time `value` arrives.
  @Transform(({ obj }: { obj: Record<string, unknown> }) =>
    obj.ADMIN_PORT === '' || obj.ADMIN_PORT === undefined ? undefined : Number(obj.ADMIN_PORT),
  )
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(65535)
  ADMIN_PORT?: number;

  /** Rate limits (README "Rate limits"): off only behind something else that limits. */
  @IsBoolean()
  @EnvBoolean()
  RATE_LIMIT_ENABLED = true;

  /** Length of a rate-limit window (fixed windows, shared by every replica through Redis). */
  @IsInt()
  @Min(1)
  @Max(86_400)
  RATE_LIMIT_WINDOW_SECONDS = 60;

  /** Requests per window for one API key (each message of a batch counts); accounts may have their own. */
  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_KEY = 10_000;

  /** Requests per window for all the keys of one account together; accounts may have their own. */
  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_ACCOUNT = 20_000;

  /** Failed authentications (401) one source address may make per AUTH_FAILURE_WINDOW_SECONDS before 429. */
  @IsInt()
  @Min(1)
  AUTH_FAILURE_LIMIT = 30;

  @IsInt()
  @Min(1)
  @Max(86_400)
  AUTH_FAILURE_WINDOW_SECONDS = 300;

  /** The support team's key for /admin; required, never defaulted. */
  @IsString()
  @MinLength(16)
  ADMIN_API_KEY: string;

  /** Public URL of this gateway, used in unsubscribe links. */
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  PUBLIC_BASE_URL = 'http://localhost:3000';

  /** HMAC key of unsubscribe tokens; shared with the sender. */
  @IsString()
  @MinLength(16)
  // Required, never defaulted: a known default would let anyone forge unsubscribe links.
  UNSUBSCRIBE_SECRET: string;

  /**
   * How sender identities are verified: `ses` (CreateEmailIdentity, then the periodic sync) or `auto-verify`
   * (verified at once, for the local emulator, which has no identity API). Unset: auto-verify only when
   * SES_ENDPOINT is set, `ses` against AWS.
   */
  @IsOptional()
  @IsIn(['ses', 'auto-verify'])
  SES_IDENTITY_MODE?: 'ses' | 'auto-verify';

  /** Custom MAIL FROM subdomain set on every domain identity (`mail` → mail.<domain>); empty turns it off. */
  @Matches(/^([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)?$/i)
  SES_MAIL_FROM_SUBDOMAIN = 'mail';

  /** How often the identity sync reads SES for identities still being verified; 0 turns the sync off. */
  @IsInt()
  @Min(0)
  IDENTITY_SYNC_EVERY_MS = 60_000;

  /**
   * Recipient domain check (MX, else A/AAAA; a null MX or no mail host → BAD_TO; fails open). Unset: on
   * against AWS, off with the local emulator (SES_ENDPOINT) and under tests (NODE_ENV=test), which stay offline.
   */
  // A string, not a boolean: an optional boolean without a default would read "false" as true (implicit conversion).
  @IsOptional()
  @IsIn(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  MX_CHECK_ENABLED?: string;

  /** DNS time allowed per recipient domain; past it the domain is accepted (fail open). */
  @IsInt()
  @Min(50)
  @Max(30_000)
  MX_CHECK_TIMEOUT_MS = 1500;

  /** DNS servers the check asks (comma-separated `ip[:port]`); unset, the system's resolvers. */
  @IsOptional()
  @IsString()
  MX_CHECK_DNS_SERVERS?: string;

  /** How long a domain's MX verdict is reused. */
  @IsInt()
  @Min(0)
  MX_CHECK_CACHE_TTL_MS = 10 * 60_000;

  /** Largest request body (bytes): a batch of 1,000 emails must fit. */
  @IsInt()
  @Min(1024)
  MAX_BODY_BYTES = 16 * 1024 * 1024;

  /** Serve Swagger UI at /docs (the OpenAPI document at /docs-json is always served). */
  @IsBoolean()
  @EnvBoolean()
  SWAGGER_ENABLED = true;

  /** The built console to serve at /console/; unset, the build next to the gateway or in dist/ (console.ts). */
  @IsOptional()
  @IsString()
  CONSOLE_DIR?: string;

  /** How long a rotated-out webhook secret keeps signing beside the new one. */
  @IsNumber()
  @Min(0)
  WEBHOOK_SECRET_OVERLAP_HOURS = 24;
}
