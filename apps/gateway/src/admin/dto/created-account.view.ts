import { ApiProperty } from '@nestjs/swagger';
import { AdminAccountView } from './admin-account.view';
import { CreatedApiKeyView } from './created-api-key.view';

/** `POST /admin/accounts`: the account, its first operator and API key. */
export class CreatedAccountView extends CreatedApiKeyView {
  @ApiProperty({ type: AdminAccountView }) account: AdminAccountView;
}
