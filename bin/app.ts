/**
 * The CDK app: `cdk synth -c config=PATH` (default monitor.config.json), optionally
 * `-c stackName=NAME` to deploy several monitors (each with its own config, a subset of a large
 * fleet) side by side, and `-c apiKeyParameterPath=/PATH/` to grant the API keys by their SSM
 * path rather than one by one (for fleets beyond about 650 portals). The config is validated with
 * the same schema as the CLI; a bad config or context value fails synth with the same
 * path-by-path message, and without a stack trace.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConfigError } from '../functions/check/errors.ts';
import { DEFAULT_CONFIG_PATH, loadConfig } from '../functions/check/config.ts';
import { deployProblems } from '../lib/deploy-problems.ts';
import { MonitorPropsError } from '../lib/docspace-backup-monitor.ts';
import { DocSpaceBackupMonitorStack } from '../lib/docspace-backup-monitor-stack.ts';

/** The stack's name unless `-c stackName=…` says otherwise. */
const DEFAULT_STACK_NAME = 'DocSpaceBackupMonitor';

const app = new App();
const configPath = String(app.node.tryGetContext('config') ?? DEFAULT_CONFIG_PATH);
const stackName = String(app.node.tryGetContext('stackName') ?? DEFAULT_STACK_NAME);
const apiKeyParameterPath: unknown = app.node.tryGetContext('apiKeyParameterPath');
try {
  const config = await loadConfig(configPath);
  const problems = deployProblems(config);
  if (problems.length > 0) throw new ConfigError(configPath, problems);
  if (!/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(stackName))
    throw new ConfigError('-c stackName', [`must be a CloudFormation stack name (letters, digits, "-"; starting with a letter), got ${JSON.stringify(stackName.slice(0, 130))}`]);
  new DocSpaceBackupMonitorStack(app, stackName, {
    config,
    ...(apiKeyParameterPath === undefined ? {} : { apiKeyParameterPath: String(apiKeyParameterPath) }),
    description: 'DocSpace backup monitor: checks that ONLYOFFICE DocSpace portals are being backed up',
  });
} catch (error) {
  // A config or props problem is the user's to fix: the message says what and where, a stack trace would not help.
  if (!(error instanceof ConfigError || error instanceof MonitorPropsError)) throw error;
  console.error(error.message);
  process.exit(1);
}
// Every synth and deploy passes the AwsSolutions checks; accepted findings carry their reason in lib/.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
