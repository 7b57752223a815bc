import {
  CreateEmailIdentityCommand,
  DeleteEmailIdentityCommand,
  GetEmailIdentityCommand,
  PutEmailIdentityMailFromAttributesCommand,
  type SESv2Client,
} from '@aws-sdk/client-sesv2';
import { errorName, SesIdentityError } from './ses-identity.error';
import { type SesIdentityState, stateFromCreate, stateFromGet } from './ses-identity-state';

/**
 * The SES v2 identity API as Postline uses it. An SES identity belongs to the AWS account, not to a Postline
 * account, so every call is idempotent: creating an identity that exists reads it instead, deleting one
 * that is gone is not an error.
 */
export class SesIdentities {
  constructor(private readonly client: SESv2Client) {}

  /**
   * Starts verification: SES emails a confirmation link to an address, or returns the three Easy DKIM tokens
   * of a domain (no DkimSigningAttributes, so SES manages the keys). An identity that already exists in
   * the AWS account is read and returned as it is.
   */
  async create(identity: string): Promise<SesIdentityState> {
    try {
      return stateFromCreate(await this.client.send(new CreateEmailIdentityCommand({ EmailIdentity: identity })));
    } catch (error) {
      if (errorName(error) !== 'AlreadyExistsException') throw SesIdentityError.from('CreateEmailIdentity', error);
    }
    const existing = await this.get(identity);
    // Deleted between the two calls: rare enough to report rather than loop.
    if (!existing)
      throw new SesIdentityError('conflict', `SES identity ${identity} was deleted while it was being created`);
    return existing;
  }

  /**
   * Sets a custom MAIL FROM domain (a subdomain of the identity's domain). If its MX record is missing, SES
   * falls back to its own amazonses.com MAIL FROM rather than rejecting mail (USE_DEFAULT_VALUE).
   */
  async setMailFrom(identity: string, mailFromDomain: string): Promise<void> {
    try {
      await this.client.send(
        new PutEmailIdentityMailFromAttributesCommand({
          EmailIdentity: identity,
          MailFromDomain: mailFromDomain,
          BehaviorOnMxFailure: 'USE_DEFAULT_VALUE',
        }),
      );
    } catch (error) {
      throw SesIdentityError.from('PutEmailIdentityMailFromAttributes', error);
    }
  }

  /** The identity's current state, or null when SES does not know it. */
  async get(identity: string): Promise<SesIdentityState | null> {
    try {
      return stateFromGet(await this.client.send(new GetEmailIdentityCommand({ EmailIdentity: identity })));
    } catch (error) {
      if (errorName(error) === 'NotFoundException') return null;
      throw SesIdentityError.from('GetEmailIdentity', error);
    }
  }

  /** Deletes the identity; false when SES did not know it. */
  async delete(identity: string): Promise<boolean> {
    try {
      await this.client.send(new DeleteEmailIdentityCommand({ EmailIdentity: identity }));
      return true;
    } catch (error) {
      if (errorName(error) === 'NotFoundException') return false;
      throw SesIdentityError.from('DeleteEmailIdentity', error);
    }
  }
}
