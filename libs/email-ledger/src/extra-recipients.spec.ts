import { recipientDeliveryId } from './extra-recipients';

describe(recipientDeliveryId.name, () => {
  const emailId = '0b6c4a52-3f0e-4f0e-9a57-6f3b7f7c2d11';

  it('gives each recipient of an email its own stable UUID, whatever the case of the address', () => {
    const id = recipientDeliveryId(emailId, 'Carl@Example.com');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(recipientDeliveryId(emailId, 'carl@example.com')).toBe(id);
    expect(recipientDeliveryId(emailId, 'dana@example.com')).not.toBe(id);
    expect(recipientDeliveryId('7e57c0de-0000-4000-8000-000000000000', 'carl@example.com')).not.toBe(id);
    expect(id).not.toBe(emailId);
  });
});
