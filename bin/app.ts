/**
 * The CDK app: `cdk synth -c config=PATH` (default monitor.config.json). The config is validated
 * with the same schema as the CLI; a bad config fails synth with the same path-by-path message.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConfigError } from '../functions/check/errors.ts';
import { DEFAULT_CONFIG_PATH, loadConfig } from '../functions/check/config.ts';
import { deployProblems } from '../lib/deploy-problems.ts';
import { DocSpaceBackupMonitorStack } from '../lib/docspace-backup-monitor-stack.ts';

const app = new App();
const configPath = String(app.node.tryGetContext('config') ?? DEFAULT_CONFIG_PATH);
try {
  const config = await loadConfig(configPath);
  const problems = deployProblems(config);
  if (problems.length > 0) throw new ConfigError(configPath, problems);
  new DocSpaceBackupMonitorStack(app, 'DocSpaceBackupMonitor', {
    config,
    description: 'DocSpace backup monitor: checks that ONLYOFFICE DocSpace portals are being backed up',
  });
} catch (error) {
  // A config problem is the user's to fix: the message says what and where, a stack trace would not help.
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
// Every synth and deploy passes the AwsSolutions checks; accepted findings carry their reason in lib/.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
