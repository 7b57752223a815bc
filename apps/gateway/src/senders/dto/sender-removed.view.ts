import { ApiProperty } from '@nestjs/swagger';

export class SenderRemovedView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() identity: string;
  @ApiProperty({ enum: [true] }) deleted: true;
  @ApiProperty({ description: 'False when another account still uses the SES identity' }) sesIdentityDeleted: boolean;
}
