import { loadEnv } from '@postline/config';
import { Env } from './env';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:postline-ses-events';

describe('events settings', () => {
  it('refuses to start against AWS without SNS_TOPIC_ARNS, naming the setting and the rule', () => {
    expect(() => loadEnv(Env, {})).toThrow(
      /SNS_TOPIC_ARNS="": must list the SNS topic\(s\) of the SES event destination/,
    );
    expect(() => loadEnv(Env, { SNS_TOPIC_ARNS: ' , ' })).toThrow(/SNS_TOPIC_ARNS/);
    // A local certificate alone is not local SES (it may be AWS's own, pinned); nor is an emulator alone.
    expect(() => loadEnv(Env, { SNS_CERT_FILE: '/etc/sns.pem' })).toThrow(/SNS_TOPIC_ARNS/);
    expect(() => loadEnv(Env, { SES_ENDPOINT: 'http://127.0.0.1:8005' })).toThrow(/SNS_TOPIC_ARNS/);
    expect(() => loadEnv(Env, { SES_ENDPOINT: ' ', SNS_CERT_FILE: 'cert.pem' })).toThrow(/SNS_TOPIC_ARNS/);
  });

  it('starts against AWS with a list of topics', () => {
    expect(loadEnv(Env, { SNS_TOPIC_ARNS: TOPIC }).SNS_TOPIC_ARNS).toBe(TOPIC);
    expect(() =>
      loadEnv(Env, { SNS_TOPIC_ARNS: `${TOPIC}, arn:aws-us-gov:sns:us-gov-west-1:123456789012:events.fifo` }),
    ).not.toThrow();
  });

  it('lets a local run (SES emulator and local signing certificate) leave the list empty', () => {
    expect(
      loadEnv(Env, { SES_ENDPOINT: 'http://127.0.0.1:8005', SNS_CERT_FILE: '.postline/sns/signing-cert.pem' })
        .SNS_TOPIC_ARNS,
    ).toBe('');
  });

  it('refuses a list with something that is not a topic ARN', () => {
    for (const value of [`${TOPIC},postline-ses-events`, 'arn:aws:sqs:eu-west-1:123456789012:q', '*']) {
      expect(() => loadEnv(Env, { SNS_TOPIC_ARNS: value })).toThrow(/SNS_TOPIC_ARNS=.*must be SNS topic ARNs/);
    }
  });
});
