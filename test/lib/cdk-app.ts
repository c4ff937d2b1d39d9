/**
 * Test support for the CDK tests: an App with the project's cdk.json context (so templates match
 * `cdk synth`), and configs that went through the real schema.
 */
import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { parseConfig, type MonitorConfig } from '../../functions/check/config.ts';

const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> };

/** A new App with cdk.json's feature flags; its assembly goes to a temporary directory. */
export function newApp(): App {
  return new App({ context: cdkJson.context });
}

/** A KMS key a portal's SecureString is encrypted with (not the aws/ssm key). */
export const PORTAL_KEY_ARN = 'arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** A config with one portal, a default schedule and no alerts. */
export function minimalConfig(overrides: Record<string, unknown> = {}): MonitorConfig {
  return parseConfig({
    portals: [{ name: 'acme-prod', url: 'https://acme.onlyoffice.com', apiKey: { ssmParameter: '/docspace/acme-prod/api-key' } }],
    ...overrides,
  });
}

/**
 * A config using every deploy-relevant key: three portals (one with its own key), alerts that
 * text resolved notices too, a schedule and a weekly digest.
 */
export function fullConfig(): MonitorConfig {
  return parseConfig({
    portals: [
      { name: 'acme-prod', url: 'https://acme.onlyoffice.com', apiKey: { ssmParameter: '/docspace/acme-prod/api-key', kmsKeyArn: PORTAL_KEY_ARN } },
      { name: 'beta', url: 'https://beta.onlyoffice.com', apiKey: { ssmParameter: '/docspace/beta/api-key' } },
      // Same parameter twice: the policy lists it once.
      { name: 'beta-mirror', url: 'https://beta-mirror.onlyoffice.com', apiKey: { ssmParameter: '/docspace/beta/api-key' } },
    ],
    checkSchedule: { cron: '30 6 ? * MON-FRI *', timeZone: 'Europe/Berlin' },
    alerts: { email: ['ops@example.com', 'backup-team@example.com'], sms: ['+491701234567'], smsMinSeverity: 'warning' },
    notifications: { smsResolved: true },
    digest: { cron: '0 8 ? * MON *', timeZone: 'Europe/Berlin' },
  });
}
