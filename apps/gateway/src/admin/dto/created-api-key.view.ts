import { ApiProperty } from '@nestjs/swagger';
import { InitialApiKeyView } from './initial-api-key.view';
import { OperatorView } from './operator.view';

/** `POST /admin/accounts/{id}/api-keys`. */
export class CreatedApiKeyView {
  @ApiProperty({ type: OperatorView }) operator: OperatorView;
  @ApiProperty({ type: InitialApiKeyView }) apiKey: InitialApiKeyView;
}
