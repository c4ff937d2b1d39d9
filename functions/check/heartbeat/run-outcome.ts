/**
 * What the heartbeat says about a run: nothing wrong (the base URL), or why it failed (`/fail`
 * with a one-line summary). Pure. The summary holds counts and error names only: no key, no
 * portal's text, no portal name.
 */
import { DeliveryFindingCode, type DeliveryPathReport } from '../delivery/types.ts';
import { errorName } from '../error-name.ts';
import type { CheckRun } from '../run-check.ts';

/**
 * Why the run's heartbeat is `/fail`, or `undefined` for a success ping. A run fails when an
 * alert could not be published or a portal's state could not be kept, when it threw, and when
 * the delivery path shows that no e-mail subscription is confirmed (every alert is published,
 * and nobody reads it: the service outside AWS is then the only one who can tell).
 *
 * @param outcome.run - the run, when it got that far
 * @param outcome.error - what it threw, if it did
 * @param outcome.delivery - the delivery-path check, when it ran
 */
export function heartbeatFailure(outcome: { readonly run?: CheckRun; readonly error?: unknown; readonly delivery?: DeliveryPathReport }): string | undefined {
  const { run, delivery } = outcome;
  const lost = [
    run && run.publishFailures.length > 0 ? `${run.publishFailures.length} alert(s) could not be published` : '',
    run && run.stateFailures.length > 0 ? `${run.stateFailures.length} portal state(s) could not be kept` : '',
  ].filter(Boolean);
  if (lost.length > 0) return `run failed: ${lost.join(' and ')}`;
  if ('error' in outcome && outcome.error !== undefined) return `run failed: ${errorName(outcome.error)}`;
  if (delivery?.findings.some((finding) => finding.code === DeliveryFindingCode.NO_CONFIRMED_EMAIL))
    return 'delivery path: no e-mail subscription of the alert topic is confirmed, alerts reach nobody by e-mail';
  return undefined;
}
