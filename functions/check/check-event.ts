/**
 * What an invocation may ask for. The config is fixed at deploy time: the event can only
 * narrow the run to configured portals or ask for a test alert, never point the check (and a
 * key) at another host.
 */
import * as z from 'zod/mini';
import { formatPath, type MonitorConfig } from './config.ts';
import { selectPortals } from './run-check.ts';

/** The invocation event: `{}`, `{"portals": [...]}` or `{"action": "test-alert"}`. */
export const CheckEventSchema = z.union([
  z.strictObject({ action: z.literal('test-alert') }),
  z.strictObject({
    action: z.optional(z.literal('check')),
    portals: z.optional(z.array(z.string()).check(z.minLength(1), z.maxLength(1000))),
    /** Set by EventBridge Scheduler (`<aws.scheduler.scheduled-time>`); informational. */
    scheduledTime: z.optional(z.string().check(z.maxLength(64))),
  }),
]);

/** A validated request. */
export type CheckRequest = { readonly action: 'test-alert' } | { readonly action: 'check'; readonly portals?: readonly string[] };

/** Thrown for an event the function does not accept. */
export class CheckEventError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'CheckEventError';
  }
}

/**
 * Validates an invocation event against the deployed config.
 *
 * @throws CheckEventError naming what is wrong
 */
export function parseCheckEvent(event: unknown, config: MonitorConfig): CheckRequest {
  const result = CheckEventSchema.safeParse(event ?? {});
  if (!result.success) {
    const where = result.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`).join('; ');
    throw new CheckEventError(`unsupported event (accepted: {}, {"portals": ["name"]}, {"action": "test-alert"}): ${where}`);
  }
  if (result.data.action === 'test-alert') return { action: 'test-alert' };
  try {
    selectPortals(config, result.data.portals);
  } catch (error) {
    throw new CheckEventError((error as Error).message);
  }
  return { action: 'check', portals: result.data.portals };
}
