import { Template } from 'aws-cdk-lib/assertions';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_STACK_NAME, localUser, resolveTarget, SilenceUsageError, STATE_TABLE_OUTPUT } from '../../../bin/commands/silence-target.ts';
import { DocSpaceBackupMonitorStack } from '../../../lib/docspace-backup-monitor-stack.ts';
import { STACK_NAME } from '../../support/cdk-synth.ts';
import { minimalConfig, newApp } from '../../lib/cdk-app.ts';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('DEFAULT_STACK_NAME and STATE_TABLE_OUTPUT', () => {
  it('name the stack bin/app.ts defines and the output its stack gives the state table', () => {
    // Prepare
    const stack = new DocSpaceBackupMonitorStack(newApp(), DEFAULT_STACK_NAME, { config: minimalConfig() });

    // Act
    const outputs = Template.fromStack(stack).findOutputs(STATE_TABLE_OUTPUT);

    // Assess
    expect(DEFAULT_STACK_NAME).toBe(STACK_NAME);
    expect(Object.keys(outputs)).toEqual([STATE_TABLE_OUTPUT]);
  });
});

describe('resolveTarget', () => {
  it('fails when more than one place is named', async () => {
    // Act
    const resolving = resolveTarget({ state: 'a.json', stack: 'Monitor' });

    // Assess
    await expect(resolving).rejects.toThrow(new SilenceUsageError('give one of --state, --table and --stack, not --state and --stack'));
  });

  it.each([
    [{ table: ' ' }, '--table must not be empty'],
    [{ stack: 'my_monitor' }, '--stack must be a CloudFormation stack name (letters, digits, "-"; starting with a letter), got "my_monitor"'],
  ])('fails for %j', async (values, message) => {
    // Act
    const resolving = resolveTarget(values);

    // Assess
    await expect(resolving).rejects.toThrow(message);
  });

  it('makes a change to a state file as the local user', async () => {
    // Prepare
    vi.stubEnv('USER', 'night-shift');

    // Act
    const target = await resolveTarget({ state: 'state.json' });

    // Assess
    expect(target.actor).toBe('night-shift');
    expect(target.store.where).toBe('state file state.json');
  });
});

describe('localUser', () => {
  it('falls back to the account name when $USER and $USERNAME are not set', () => {
    // Prepare
    vi.stubEnv('USER', undefined);
    vi.stubEnv('USERNAME', undefined);

    // Act
    const user = localUser();

    // Assess
    expect(user.length).toBeGreaterThan(0);
  });
});
