import { ApiProperty } from '@nestjs/swagger';

export class SuppressionRemovedView {
  @ApiProperty({ example: 'someone@example.com' }) address: string;
  @ApiProperty({ enum: [true] }) removed: true;
}
