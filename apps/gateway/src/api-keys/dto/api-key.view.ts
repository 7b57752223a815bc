import { ApiProperty } from '@nestjs/swagger';

export const ApiKeyStatus = { Active: 'ACTIVE', Expired: 'EXPIRED', Revoked: 'REVOKED' } as const;
export type ApiKeyStatus = (typeof ApiKeyStatus)[keyof typeof ApiKeyStatus];

/** An API key as listed: never its secret or its hash. */
export class ApiKeyView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'pl_live_Xk3a', description: 'The first characters of the key, to recognise it' })
  prefix: string;

  @ApiProperty({ example: 'production server' })
  name: string;

  @ApiProperty({ example: 'bob', description: 'The operator (member) the key belongs to' })
  operator: string;

  @ApiProperty({ enum: Object.values(ApiKeyStatus), description: 'REVOKED wins over EXPIRED' })
  status: ApiKeyStatus;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'Last request made with it, to the minute; null: never used',
  })
  lastUsedAt: string | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'null: never expires' })
  expiresAt: string | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  revokedAt: string | null;
}
