/**
 * Bench part 3, CPU per portal: the verdict (`evaluate`) of a compliant portal and of a failing
 * one, rendering the failing one's alert (`renderAlert`: subject, e-mail, SMS, JSON), and
 * parsing a portal's four answers (JSON and schemas), in microseconds. Loops are bounded by a
 * count and by time; each figure is the median of several batches after a warm-up.
 */
import { renderAlert } from '../functions/check/alerts/render-alert.ts';
import { parseConfig, resolvePolicy } from '../functions/check/config.ts';
import { BackupHistorySchema, BackupProgressSchema, BackupScheduleSchema, EnvelopeSchema, PortalSettingsSchema } from '../functions/check/docspace/schemas.ts';
import { zoneFromSettings } from '../functions/check/policy/time-zone.ts';
import type { Verdict } from '../functions/check/policy/types.ts';
import { evaluate, type VerdictInput } from '../functions/check/policy/verdict.ts';
import { buildScenarios, scenarioConfig, type Scenario } from '../test/support/scenarios.ts';
import { envelope } from '../test/support/simulated-portal.ts';
import { median } from './bench-build.ts';

/** One measured operation. */
export interface CpuMeasure {
  readonly name: string;
  /** Median microseconds per call. */
  readonly microseconds: number;
  readonly calls: number;
}

/** Wire data of a scenario's endpoint, as the portal sends it (behaviours are not used here). */
function wire(scenario: Scenario, endpoint: 'schedule' | 'progress' | 'history' | 'settings'): unknown {
  return scenario.portal[endpoint];
}

/** The verdict input of a scenario, from its wire data through the client's schemas. */
function verdictInput(scenario: Scenario, now: Date): VerdictInput {
  const config = parseConfig(scenarioConfig([scenario], (name) => `http://127.0.0.1/${name}/`));
  const portal = config.portals[0];
  if (portal === undefined) throw new Error('the scenario config has no portal');
  const settings = PortalSettingsSchema.parse(wire(scenario, 'settings'));
  const resolved = zoneFromSettings(settings);
  if ('failure' in resolved) throw new Error(`scenario ${scenario.name}: ${resolved.failure}`);
  const progress = wire(scenario, 'progress');
  return {
    portal: { name: portal.name, url: portal.url },
    policy: resolvePolicy(config, portal),
    now,
    zone: portal.timeZone ? { kind: 'iana', id: portal.timeZone } : resolved.zone,
    schedule: { ok: true, value: BackupScheduleSchema.parse(wire(scenario, 'schedule')) },
    progress: { ok: true, value: progress === null ? null : BackupProgressSchema.parse(progress) },
    history: { ok: true, value: BackupHistorySchema.parse(wire(scenario, 'history')).records },
  };
}

/**
 * Times `operation`: a warm-up, then `batches` batches of about `batchMs` each (at most
 * `maxCallsPerBatch` calls); the median batch gives microseconds per call.
 */
function time(name: string, operation: () => unknown, options = { batches: 7, batchMs: 150, maxCallsPerBatch: 200_000 }): CpuMeasure {
  let sink: unknown;
  const warmUpUntil = performance.now() + 200;
  let calls = 0;
  while (performance.now() < warmUpUntil && calls < options.maxCallsPerBatch) {
    sink = operation();
    calls += 1;
  }
  const perCall: number[] = [];
  let total = 0;
  for (let batch = 0; batch < options.batches; batch += 1) {
    const started = performance.now();
    const until = started + options.batchMs;
    let count = 0;
    do {
      sink = operation();
      count += 1;
    } while (count < options.maxCallsPerBatch && performance.now() < until);
    perCall.push(((performance.now() - started) * 1000) / count);
    total += count;
  }
  if (sink === undefined) throw new Error(`${name} returned nothing`);
  return { name, microseconds: median(perCall), calls: total };
}

/** Measures part 3. */
export function measureCpu(): CpuMeasure[] {
  const now = new Date();
  const scenarios = buildScenarios(now, (name) => `sk-bench-${name}`);
  const byName = (name: string): Scenario => {
    const found = scenarios.find((scenario) => scenario.name === name);
    if (found === undefined) throw new Error(`test/support/scenarios.ts has no "${name}" scenario`);
    return found;
  };
  const compliant = verdictInput(byName('compliant'), now);
  const overdue = verdictInput(byName('overdue'), now);
  const overdueVerdict: Verdict = evaluate(overdue);
  const bodies = (['schedule', 'progress', 'history', 'settings'] as const).map((endpoint) => JSON.stringify(envelope(wire(byName('compliant'), endpoint) ?? undefined)));
  const schemas = [BackupScheduleSchema, BackupProgressSchema, BackupHistorySchema, PortalSettingsSchema] as const;

  return [
    time('verdict, compliant portal (evaluate)', () => evaluate(compliant)),
    time('verdict, overdue portal (evaluate)', () => evaluate(overdue)),
    time('render alert, overdue portal (renderAlert)', () => renderAlert(overdueVerdict)),
    time('parse 4 answers (JSON + envelope + schemas)', () =>
      bodies.map((text, index) => {
        const response = EnvelopeSchema.parse(JSON.parse(text)).response;
        return response === undefined || response === null ? null : (schemas[index] as (typeof schemas)[number]).parse(response);
      }),
    ),
  ];
}
