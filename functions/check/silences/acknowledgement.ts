/**
 * Acknowledgements: `docspace-backup-monitor ack` stops the reminders for a portal's outstanding
 * problem (the last notice's status and codes) until they change; then the portal alerts again
 * and the acknowledgement ends. Pure: `now` is a parameter.
 */
import type { Acknowledgement, PortalMemory } from '../notify/types.ts';
import type { FindingCode, Status } from '../policy/types.ts';
import { sanitizePortalText } from '../policy/format.ts';
import { SilenceError } from './errors.ts';

/** Who acknowledges, why and when. */
export interface AcknowledgementRequest {
  readonly by: string;
  readonly reason: string;
  readonly now: Date;
}

/**
 * The portal's memory with an acknowledgement of what it last alerted about.
 *
 * @param memory - the portal's memory as stored; undefined when no run has checked it yet
 * @param portal - the portal's name (for the message when there is no memory)
 * @param request - who, why and when
 * @param where - the store in words (`state file .state/monitor.json`), for the message
 * @throws SilenceError when there is no memory, or nothing outstanding (the last notice was OK)
 * @example
 * acknowledgedMemory(memory, 'acme-prod', { by: 'alice', reason: 'restoring the bucket', now }, 'DynamoDB table monitor-state');
 * // { ...memory, ack: { status: 'CRITICAL', codes: ['BACKUP_OVERDUE'], by: 'alice', at: '…', reason: 'restoring the bucket' } }
 */
export function acknowledgedMemory(memory: PortalMemory | undefined, portal: string, request: AcknowledgementRequest, where: string): PortalMemory {
  const name = sanitizePortalText(portal, 100) || '(blank)';
  if (memory === undefined) throw new SilenceError(`no run has checked portal ${name} in ${where} yet: there is nothing to acknowledge`);
  if (memory.notifiedStatus === 'OK')
    throw new SilenceError(
      `portal ${name} has nothing outstanding to acknowledge: the last run found it ${memory.status}${memory.status === 'OK' ? '' : ' with every finding silenced'} (${memory.lastRunKey})`,
    );
  const ack: Acknowledgement = {
    status: memory.notifiedStatus,
    codes: [...new Set(memory.notifiedCodes)].sort(),
    by: request.by,
    at: request.now.toISOString(),
    reason: request.reason,
  };
  return { ...memory, ack };
}

/**
 * Whether an acknowledgement still holds for what a run alerts about: the same status and the
 * same codes (in any order), and no rise in severity.
 *
 * @param ack - the acknowledgement in the memory
 * @param status - the status of the findings alerted this run (silenced ones left out)
 * @param codes - their codes
 * @param severityRose - the same status and codes went from warning to critical
 */
export function acknowledgementHolds(ack: Acknowledgement | undefined, status: Status, codes: readonly FindingCode[], severityRose = false): ack is Acknowledgement {
  if (ack === undefined || severityRose || ack.status !== status) return false;
  const acknowledged = [...new Set(ack.codes)].sort();
  const alerted = [...new Set(codes)].sort();
  return acknowledged.length === alerted.length && acknowledged.every((code, index) => code === alerted[index]);
}
