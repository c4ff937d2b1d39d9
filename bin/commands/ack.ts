/**
 * `docspace-backup-monitor ack --portal NAME --reason TEXT`: stop the reminders for a portal's
 * current problem until its status or codes change (then it alerts again). The acknowledgement
 * goes into the portal's memory, where the run's state is (see silence-target.ts).
 */
import { parseArgs } from 'node:util';
import { commandFailed, parsePortalName, parseReason } from './command-errors.ts';
import { resolveTarget, TARGET_HELP, TARGET_OPTIONS } from './silence-target.ts';

/** The `ack --help` text. */
export const ACK_HELP = `Usage: docspace-backup-monitor ack --portal NAME --reason TEXT

Acknowledges the portal's current problem (what it was last alerted for): no reminders while its
status and finding codes stay the same. When they change, the portal alerts again and the
acknowledgement ends. The report and the digest show it, with who, when and why.

Options:
  --portal NAME       the portal (as named in the config)
  --reason TEXT       why (at most 200 characters)
${TARGET_HELP}

Exit codes: 0 done, 3 refused (nothing to acknowledge) or failed (the message says why).`;

/**
 * Runs `ack …` and resolves to its exit code; never throws.
 *
 * @param args - the command line after `ack`
 * @param now - the instant of the acknowledgement
 * @example
 * process.exitCode = await ackCommand(['--portal', 'acme-prod', '--reason', 'restoring the bucket'], new Date());
 */
export async function ackCommand(args: readonly string[], now: Date = new Date()): Promise<number> {
  try {
    const { values } = parseArgs({
      args: [...args],
      options: { portal: { type: 'string' }, reason: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false }, ...TARGET_OPTIONS },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) {
      console.log(ACK_HELP);
      return 0;
    }
    const portal = parsePortalName(values.portal);
    const reason = parseReason(values.reason);
    const target = await resolveTarget(values);
    try {
      const memory = await target.store.acknowledge(portal, target.actor, reason, now);
      const ack = memory.ack!;
      console.log(`acknowledged ${portal} in ${target.store.where}: ${ack.status} (${ack.codes.join(', ')}) by ${ack.by}: ${ack.reason}`);
      console.log('No reminders until its status or codes change; then it alerts again.');
      return 0;
    } finally {
      target.close();
    }
  } catch (error) {
    return commandFailed(error);
  }
}
