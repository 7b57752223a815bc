import { resolve } from 'node:path';

export interface SimulatorConfig {
  eventsUrl: string;
  sesEndpoint: string;
  keyFile: string;
  certFile: string;
  topicArn: string;
  region: string;
  accountId: string;
  configurationSet: string;
  pollMs: number;
  logLevel: string;
}

/** Settings from the environment; the defaults match `npm start` on one machine. */
export function simulatorConfig(env: NodeJS.ProcessEnv = process.env): SimulatorConfig {
  const region = env.SES_REGION ?? 'us-east-1';
  const accountId = env.SES_SIMULATOR_ACCOUNT_ID ?? '000000000000';
  const pollMs = Number(env.SES_SIMULATOR_POLL_MS ?? 1000);
  if (!Number.isInteger(pollMs) || pollMs < 50)
    throw new Error(`SES_SIMULATOR_POLL_MS=${env.SES_SIMULATOR_POLL_MS}: an integer ≥ 50 is needed`);
  return {
    eventsUrl: env.EVENTS_URL ?? 'http://127.0.0.1:3001/ses/notifications',
    sesEndpoint: env.SES_ENDPOINT ?? 'http://127.0.0.1:8005',
    keyFile: resolve(env.SNS_SIGNING_KEY_FILE ?? '.postline/sns/signing-key.pem'),
    certFile: resolve(env.SNS_CERT_FILE ?? '.postline/sns/signing-cert.pem'),
    topicArn: env.SES_SIMULATOR_TOPIC_ARN ?? `arn:aws:sns:${region}:${accountId}:postline-ses-events-local`,
    region,
    accountId,
    configurationSet: env.SES_CONFIGURATION_SET ?? 'postline-local',
    pollMs,
    logLevel: env.LOG_LEVEL ?? 'info',
  };
}
