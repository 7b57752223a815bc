import pino from 'pino';
import { NotificationPoster } from './notification-poster';
import { SesEventsSimulator } from './ses-events-simulator';
import { loadOrCreateSigningMaterial } from './signing-material';
import { simulatorConfig } from './simulator-config';

/**
 * Local SES events (dev only): node -r @swc-node/register -r tsconfig-paths/register tools/ses-simulator/src/main.ts
 * Env: EVENTS_URL, SES_ENDPOINT, SNS_SIGNING_KEY_FILE, SNS_CERT_FILE (the same file the events service trusts),
 * SES_REGION, SES_CONFIGURATION_SET, SES_SIMULATOR_POLL_MS, SES_SIMULATOR_TOPIC_ARN.
 */
function main(): void {
  const config = simulatorConfig();
  const logger = pino({ level: config.logLevel, base: { app: 'ses-simulator' } });
  const signing = loadOrCreateSigningMaterial(config.keyFile, config.certFile);
  logger.info(
    {
      certFile: config.certFile,
      created: signing.created,
      eventsUrl: config.eventsUrl,
      sesEndpoint: config.sesEndpoint,
      topicArn: config.topicArn,
    },
    'local SES events: polling the emulator (start the events service with SNS_CERT_FILE set to certFile)',
  );
  const poster = new NotificationPoster({
    eventsUrl: config.eventsUrl,
    topicArn: config.topicArn,
    region: config.region,
    signing,
  });
  const simulator = new SesEventsSimulator({ ...config }, poster, logger);
  const stop = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort());
  void simulator.run(stop.signal).then(() => logger.info({}, 'stopped'));
}

main();
