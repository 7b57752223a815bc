import { ApiProperty } from '@nestjs/swagger';
import { NewApiKeyView } from './new-api-key.view';
import { OperatorView } from './operator.view';

/** `POST /admin/accounts/{id}/api-keys`. */
export class CreatedApiKeyView {
  @ApiProperty({ type: OperatorView }) operator: OperatorView;
  @ApiProperty({ type: NewApiKeyView }) apiKey: NewApiKeyView;
}
