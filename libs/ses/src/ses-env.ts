import { BaseEnv } from '@postline/config';
import { IsOptional, IsString } from 'class-validator';

/** Settings of every app that calls SES (gateway: identities; sender: SendEmail). */
export class SesEnv extends BaseEnv {
  /** Local SES (aws-ses-v2-local); unset, the AWS SDK's standard credential chain and region are used. */
  @IsOptional()
  @IsString()
  SES_ENDPOINT?: string;

  @IsString()
  SES_REGION = 'us-east-1';
}
