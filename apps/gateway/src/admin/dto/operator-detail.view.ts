import { ApiProperty } from '@nestjs/swagger';
import { OperatorView } from './operator.view';

export class OperatorDetailView extends OperatorView {
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}
