import { ApiProperty } from '@nestjs/swagger';

export class OperatorView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'alice', maxLength: 100 }) name: string;
}
