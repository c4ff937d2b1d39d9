/**
 * The demo's scenario portals as the process tests use them: chosen by name, each with its own
 * key, served on loopback, with the environment variables their scenario config reads the keys from.
 */
import { randomUUID } from 'node:crypto';
import { buildScenarios, keyVariableOf, type Scenario } from './scenarios.ts';
import { startSimulatedPortals, type SimulatedPortals } from './simulated-portal.ts';

/** One key per portal name, made by `make` the first time the name is asked for and kept. */
export function keyRing(make: (name: string) => string): (name: string) => string {
  const keys = new Map<string, string>();
  return (name) => {
    if (!keys.has(name)) keys.set(name, make(name));
    return keys.get(name)!;
  };
}

/** Scenario portals being served. */
export interface ServedScenarios {
  /** The chosen scenarios, in the order `buildScenarios` gives them. */
  readonly scenarios: readonly Scenario[];
  readonly server: SimulatedPortals;
  /** The key each portal expects. */
  readonly keyOf: (name: string) => string;
  /** The variables the scenario config reads the keys from (`DEMO_<NAME>_KEY`), for the CLI's environment. */
  readonly keyEnv: Record<string, string>;
}

/**
 * Serves the scenarios named `names`, as of `now`, on 127.0.0.1.
 *
 * @param keyOf - the key each portal expects
 * @default keyOf - a random `sk-test-…` key per portal
 */
export async function serveScenarios(now: Date, names: readonly string[], keyOf = keyRing(() => `sk-test-${randomUUID()}`)): Promise<ServedScenarios> {
  const scenarios = buildScenarios(now, keyOf).filter((scenario) => names.includes(scenario.name));
  const server = await startSimulatedPortals(Object.fromEntries(scenarios.map((scenario) => [scenario.name, scenario.portal])));
  const keyEnv = Object.fromEntries(scenarios.map((scenario) => [keyVariableOf(scenario.name), keyOf(scenario.name)]));
  return { scenarios, server, keyOf, keyEnv };
}
