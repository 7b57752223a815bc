import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The SES/SNS fixture set kept in this lib (`libs/ses/fixtures/ses`, signed with a test key). For tests only:
 * not exported from the lib's index.
 */
export const SES_FIXTURES_DIR = resolve(__dirname, '../../fixtures/ses');
export const TEST_SIGNING_CERT_FILE = resolve(SES_FIXTURES_DIR, '_test-signing/test-signing-cert.pem');
export const TEST_SIGNING_KEY_FILE = resolve(SES_FIXTURES_DIR, '_test-signing/test-signing-key.pem');
export const FIXTURE_TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:ses-events';
export const FIXTURE_CERT_URL =
  'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-46f3fb526487cfc5747a94238d7a65d8.pem';

export interface FixtureEntry {
  file: string;
  bare?: string;
  snsType: string;
  eventType?: string | null;
  signatureVersion: string;
}

export function fixtureManifest(): FixtureEntry[] {
  return (JSON.parse(readFileSync(resolve(SES_FIXTURES_DIR, 'manifest.json'), 'utf8')) as { files: FixtureEntry[] })
    .files;
}

/** Every SNS body of the set (the files beside manifest.json), by file name. */
export function fixtureBodies(): string[] {
  return readdirSync(SES_FIXTURES_DIR).filter((f) => f.endsWith('.json') && f !== 'manifest.json');
}

export function readFixture(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(resolve(SES_FIXTURES_DIR, file), 'utf8')) as Record<string, unknown>;
}

export function readFixtureText(file: string): string {
  return readFileSync(resolve(SES_FIXTURES_DIR, file), 'utf8');
}

export function testSigningKey(): string {
  return readFileSync(TEST_SIGNING_KEY_FILE, 'utf8');
}
