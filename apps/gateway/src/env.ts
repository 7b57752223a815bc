import { BaseEnv, EnvBoolean } from '@postline/config';
import { IsBoolean, IsInt, IsOptional, IsString, IsUrl, Max, Min, MinLength } from 'class-validator';

export class Env extends BaseEnv {
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT = 3000;

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
  UNSUBSCRIBE_SECRET = 'change-me-unsubscribe-secret';

  /** Set when SES is the local emulator; it also turns on the dev identity mode (identities verify at once). */
  @IsOptional()
  @IsString()
  SES_ENDPOINT?: string;

  @IsString()
  SES_REGION = 'us-east-1';

  /** Largest request body (bytes): a batch of 1,000 emails must fit. */
  @IsInt()
  @Min(1024)
  MAX_BODY_BYTES = 16 * 1024 * 1024;

  /** How long acceptance waits to group concurrent requests into one database transaction. */
  @IsInt()
  @Min(0)
  @Max(50)
  ACCEPT_BATCH_WINDOW_MS = 2;

  @IsBoolean()
  @EnvBoolean()
  SWAGGER_ENABLED = true;
}
