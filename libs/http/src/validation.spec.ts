import { IsEmail, IsNotEmpty, IsString } from 'class-validator';
import { ApiError } from './api-error';
import { createValidationPipe, validateItem } from './validation';

class Message {
  @IsEmail()
  @IsNotEmpty()
  @IsString()
  to!: string;
}

describe(validateItem.name, () => {
  it('answers an item as the app-wide pipe answers a body, its fields under the item', async () => {
    const body = await createValidationPipe()
      .transform({ to: '', cc: 1 }, { type: 'body', metatype: Message })
      .then(
        () => [],
        (error: ApiError) => error.details ?? [],
      );
    expect(body).toEqual([
      { field: 'cc', message: 'property cc should not exist' },
      { field: 'to', message: 'to should not be empty' },
    ]);
    expect(await validateItem(Message, { to: '', cc: 1 }, 'messages[3]')).toEqual({
      details: body.map((d) => ({ ...d, field: `messages[3].${d.field}` })),
    });
  });

  it('returns the instance of a valid item', async () => {
    const checked = await validateItem(Message, { to: 'ann@example.com' }, 'messages[0]');
    expect('dto' in checked && checked.dto).toBeInstanceOf(Message);
  });
});
