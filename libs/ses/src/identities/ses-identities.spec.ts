import {
  AlreadyExistsException,
  BadRequestException,
  CreateEmailIdentityCommand,
  DeleteEmailIdentityCommand,
  GetEmailIdentityCommand,
  LimitExceededException,
  NotFoundException,
  PutEmailIdentityMailFromAttributesCommand,
  SESv2Client,
  TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { identityVerdict } from './identity-status';
import { SesIdentities } from './ses-identities';
import { SesIdentityError } from './ses-identity.error';
import {
  addressIdentity,
  createdAddress,
  createdDomain,
  DKIM_TOKENS,
  domainIdentity,
} from './ses-identity-responses.fixture';

const $metadata = { httpStatusCode: 400 };

describe(SesIdentities.name, () => {
  const client = new SESv2Client({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const ses = mockClient(client);
  let sut: SesIdentities;

  beforeEach(() => {
    ses.reset();
    sut = new SesIdentities(client);
  });

  afterAll(() => ses.restore());

  describe('create', () => {
    it('creates a domain with Easy DKIM and returns its three tokens, pending', async () => {
      ses.on(CreateEmailIdentityCommand).resolves(createdDomain());
      const state = await sut.create('elipackage.test');
      expect(ses.commandCalls(CreateEmailIdentityCommand)[0].args[0].input).toEqual({
        EmailIdentity: 'elipackage.test',
      });
      expect(state).toMatchObject({
        identityType: 'DOMAIN',
        verifiedForSending: false,
        dkimTokens: DKIM_TOKENS,
        dkimSigningZone: 'dkim.amazonses.com',
      });
      expect(state.verificationStatus).toBeUndefined();
      expect(identityVerdict('DOMAIN', state).status).toBe('PENDING');
    });

    it('creates an address (SES emails the confirmation link), pending and without DKIM tokens', async () => {
      ses.on(CreateEmailIdentityCommand).resolves(createdAddress());
      const state = await sut.create('promo@elipackage.test');
      expect(state).toMatchObject({ identityType: 'EMAIL_ADDRESS', verifiedForSending: false, dkimTokens: [] });
      expect(identityVerdict('EMAIL_ADDRESS', state)).toMatchObject({
        status: 'PENDING',
        reason: expect.stringContaining('confirmation link'),
      });
    });

    it('reads an identity that already exists in the AWS account instead of failing', async () => {
      ses
        .on(CreateEmailIdentityCommand)
        .rejects(new AlreadyExistsException({ message: 'Email identity elipackage.test already exist.', $metadata }));
      ses.on(GetEmailIdentityCommand, { EmailIdentity: 'elipackage.test' }).resolves(domainIdentity('SUCCESS'));
      const state = await sut.create('elipackage.test');
      expect(state).toMatchObject({ verificationStatus: 'SUCCESS', verifiedForSending: true, dkimTokens: DKIM_TOKENS });
      expect(identityVerdict('DOMAIN', state).status).toBe('VERIFIED');
    });

    it.each([
      [new BadRequestException({ message: 'Invalid domain name', $metadata }), 'invalid'],
      [new TooManyRequestsException({ message: 'Too many requests', $metadata }), 'throttled'],
      [new LimitExceededException({ message: 'Maximum identities reached', $metadata }), 'limit'],
      [Object.assign(new Error('connect ECONNREFUSED'), { name: 'Error' }), 'unavailable'],
    ])('classifies a failure %#', async (error, kind) => {
      ses.on(CreateEmailIdentityCommand).rejects(error);
      await expect(sut.create('elipackage.test')).rejects.toMatchObject({ name: 'SesIdentityError', kind });
    });
  });

  it('sets the custom MAIL FROM domain, falling back to the SES default when its MX is missing', async () => {
    ses.on(PutEmailIdentityMailFromAttributesCommand).resolves({ $metadata: {} });
    await sut.setMailFrom('elipackage.test', 'mail.elipackage.test');
    expect(ses.commandCalls(PutEmailIdentityMailFromAttributesCommand)[0].args[0].input).toEqual({
      EmailIdentity: 'elipackage.test',
      MailFromDomain: 'mail.elipackage.test',
      BehaviorOnMxFailure: 'USE_DEFAULT_VALUE',
    });
  });

  describe('get', () => {
    it.each(['PENDING', 'SUCCESS', 'FAILED', 'TEMPORARY_FAILURE', 'NOT_STARTED'] as const)(
      'reads a domain in state %s',
      async (status) => {
        ses
          .on(GetEmailIdentityCommand)
          .resolves(domainIdentity(status, { errorType: status === 'FAILED' ? 'TYPE_NOT_FOUND' : undefined }));
        const state = await sut.get('elipackage.test');
        expect(state).toMatchObject({
          identityType: 'DOMAIN',
          verificationStatus: status,
          verifiedForSending: status === 'SUCCESS',
          dkimTokens: DKIM_TOKENS,
          dkimStatus: status,
          mailFromDomain: 'mail.elipackage.test',
          mailFromStatus: 'PENDING',
          lastCheckedAt: new Date('2026-11-26T10:00:00Z'),
        });
        if (status === 'FAILED') expect(state?.errorType).toBe('TYPE_NOT_FOUND');
      },
    );

    it.each(['PENDING', 'SUCCESS', 'FAILED', 'TEMPORARY_FAILURE', 'NOT_STARTED'] as const)(
      'reads an address in state %s',
      async (status) => {
        ses.on(GetEmailIdentityCommand).resolves(addressIdentity(status));
        const state = await sut.get('promo@elipackage.test');
        expect(state).toMatchObject({ identityType: 'EMAIL_ADDRESS', verificationStatus: status, dkimTokens: [] });
        expect(state?.mailFromDomain).toBeUndefined();
      },
    );

    it('returns null for an identity SES does not know', async () => {
      ses
        .on(GetEmailIdentityCommand)
        .rejects(new NotFoundException({ message: 'Email identity elipackage.test does not exist.', $metadata }));
      await expect(sut.get('elipackage.test')).resolves.toBeNull();
    });

    it('reports other failures as SesIdentityError', async () => {
      ses.on(GetEmailIdentityCommand).rejects(new TooManyRequestsException({ message: 'slow down', $metadata }));
      const error = await sut.get('elipackage.test').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SesIdentityError);
      expect((error as SesIdentityError).message).toContain('GetEmailIdentity');
    });
  });

  describe('delete', () => {
    it('deletes the identity', async () => {
      ses.on(DeleteEmailIdentityCommand).resolves({ $metadata: {} });
      await expect(sut.delete('elipackage.test')).resolves.toBe(true);
      expect(ses.commandCalls(DeleteEmailIdentityCommand)[0].args[0].input).toEqual({
        EmailIdentity: 'elipackage.test',
      });
    });

    it('treats an identity already gone as deleted', async () => {
      ses.on(DeleteEmailIdentityCommand).rejects(new NotFoundException({ message: 'not found', $metadata }));
      await expect(sut.delete('elipackage.test')).resolves.toBe(false);
    });

    it('reports a throttled delete', async () => {
      ses.on(DeleteEmailIdentityCommand).rejects(new TooManyRequestsException({ message: 'slow down', $metadata }));
      await expect(sut.delete('elipackage.test')).rejects.toMatchObject({ kind: 'throttled' });
    });
  });
});
