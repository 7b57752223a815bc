import { ApiProperty } from '@nestjs/swagger';
import { ApiKeyView } from './api-key.view';

/** A key just made: the only time its secret is shown. */
export class NewApiKeyView {
  @ApiProperty({ example: 'pl_live_Xk3a…', description: 'The secret: shown once, only its hash is kept' })
  key: string;

  @ApiProperty({ type: ApiKeyView })
  apiKey: ApiKeyView;

  @ApiProperty({ example: 'Shown once: store it now. Only its hash is kept.' })
  note: string;
}
