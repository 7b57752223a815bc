import {
  AccountSuspendedException,
  BadRequestException,
  LimitExceededException,
  MailFromDomainNotVerifiedException,
  MessageRejected,
  SendingPausedException,
  TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import { classifySesError, describeSesFailure } from './ses-failure';

const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });
const nodeError = (code: string, message = code) => Object.assign(new Error(message), { code });

describe(classifySesError.name, () => {
  it('retries throttling and SES 5xx', () => {
    expect(classifySesError(new TooManyRequestsException({ message: 'slow down', ...meta(429) })).kind).toBe(
      'throttled',
    );
    expect(classifySesError(new LimitExceededException({ message: 'rate', ...meta(400) })).kind).toBe('throttled');
    expect(classifySesError(Object.assign(new Error('x'), { name: 'InternalFailure', ...meta(500) })).kind).toBe(
      'unavailable',
    );
    expect(classifySesError(Object.assign(new Error('x'), { name: 'ServiceUnavailable', ...meta(503) })).kind).toBe(
      'unavailable',
    );
  });

  it('refuses for good on MessageRejected and bad requests', () => {
    const failure = classifySesError(new MessageRejected({ message: 'Email address is not verified.', ...meta(400) }));
    expect(failure).toEqual({
      kind: 'rejected',
      code: 'MessageRejected',
      message: 'Email address is not verified.',
      httpStatus: 400,
    });
    expect(describeSesFailure(failure)).toBe('SES MessageRejected (HTTP 400): Email address is not verified.');
    expect(classifySesError(new BadRequestException({ message: 'Illegal address', ...meta(400) })).kind).toBe(
      'rejected',
    );
  });

  it('maps an unverified MAIL FROM domain to bad-from', () => {
    expect(classifySesError(new MailFromDomainNotVerifiedException({ message: 'm', ...meta(400) })).kind).toBe(
      'bad-from',
    );
  });

  it('pauses on SendingPaused, AccountSuspended, refused credentials and missing configuration', () => {
    expect(classifySesError(new SendingPausedException({ message: 'paused', ...meta(400) })).kind).toBe('paused');
    expect(classifySesError(new AccountSuspendedException({ message: 'suspended', ...meta(400) })).kind).toBe('paused');
    expect(
      classifySesError(Object.assign(new Error('denied'), { name: 'UnrecognizedClientException', ...meta(403) })).kind,
    ).toBe('paused');
    expect(
      classifySesError(Object.assign(new Error('no config set'), { name: 'NotFoundException', ...meta(404) })).kind,
    ).toBe('paused');
    expect(classifySesError(Object.assign(new Error('no creds'), { name: 'CredentialsProviderError' })).kind).toBe(
      'paused',
    );
  });

  it('retries calls that never reached SES', () => {
    expect(classifySesError(nodeError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1')).kind).toBe('not-reached');
    expect(classifySesError(nodeError('ENOTFOUND')).kind).toBe('not-reached');
    const wrapped = classifySesError(new Error('AWS SDK error wrapper for Error: connect ECONNREFUSED 127.0.0.1:4'));
    expect(wrapped).toMatchObject({ kind: 'not-reached', code: 'ECONNREFUSED' });
    const connectTimeout = Object.assign(
      new Error(
        'the request socket did not establish a connection with the server within the configured timeout of 3000 ms.',
      ),
      { name: 'TimeoutError' },
    );
    expect(classifySesError(connectTimeout).kind).toBe('not-reached');
  });

  it('treats timeouts and resets after connecting, and unreadable 2xx answers, as ambiguous', () => {
    const requestTimeout = Object.assign(new Error('a request has exceeded the configured 15000 ms requestTimeout.'), {
      name: 'TimeoutError',
      code: 'ETIMEDOUT',
    });
    expect(classifySesError(requestTimeout).kind).toBe('ambiguous');
    expect(
      classifySesError(Object.assign(nodeError('ECONNRESET', 'socket hang up'), { name: 'TimeoutError' })).kind,
    ).toBe('ambiguous');
    expect(classifySesError(nodeError('EPIPE')).kind).toBe('ambiguous');
    expect(
      classifySesError(Object.assign(new Error('Unexpected end of JSON input'), { name: 'SyntaxError', ...meta(200) }))
        .kind,
    ).toBe('ambiguous');
    expect(classifySesError('weird').kind).toBe('ambiguous');
  });
});
