/**
 * `cfn-lint` (the CloudFormation linter, a Python tool: `pip install cfn-lint`) over synthesized
 * templates, and the findings the project accepts, each with its reason. A finding is accepted
 * by rule and by the construct it is on, never by rule alone, so a new instance of an accepted
 * rule elsewhere still fails.
 */
import { spawn, spawnSync } from 'node:child_process';
import { basename } from 'node:path';

/** One finding of cfn-lint, as its JSON output gives it. */
export interface CfnLintFinding {
  /** `E3012`, `W3005`… */
  readonly rule: string;
  readonly level: 'Error' | 'Warning' | 'Informational';
  readonly message: string;
  /** The template file's name. */
  readonly file: string;
  /** The path in the template: `Resources/MonitorFunction39E4128B/DependsOn/1`. */
  readonly path: string;
  /** The construct the finding is on (its logical ID mapped to a name), when it is on a resource. */
  readonly construct?: string;
}

/** A finding the project accepts: its rule, the construct it is on, and why. */
export interface AcceptedFinding {
  readonly rule: string;
  readonly construct: string;
  readonly reason: string;
}

/**
 * The findings accepted, with their reasons: none today (the function's needless `DependsOn` on
 * its role, W3005, is fixed in lib/). Fix what can be fixed; add an entry only for what cannot.
 */
export const ACCEPTED_FINDINGS: readonly AcceptedFinding[] = [];

/** The installed cfn-lint's version line, or `undefined` when it is not on the PATH. */
export function cfnLintVersion(): string | undefined {
  const result = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8', timeout: 60_000 });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

interface RawFinding {
  readonly Filename: string;
  readonly Level: CfnLintFinding['level'];
  readonly Message: string;
  readonly Location: { readonly Path: readonly (string | number)[] };
  readonly Rule: { readonly Id: string };
}

/**
 * Lints templates in one cfn-lint run (its exit code says only the worst level: the findings
 * say everything).
 *
 * @param files - template paths
 * @param names - per template file name, logical ID to construct name
 * @throws Error when cfn-lint fails to run or its output is not its JSON
 */
export function runCfnLint(files: readonly string[], names: ReadonlyMap<string, ReadonlyMap<string, string>>): Promise<CfnLintFinding[]> {
  return new Promise((resolve, reject) => {
    const child = spawn('cfn-lint', ['--format', 'json', '--', ...files], { stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const output = Buffer.concat(stdout).toString('utf8');
      // 0 clean, 2 errors, 4 warnings, 8 informational (or-ed); anything else is cfn-lint failing.
      if (code === null || (code & ~0b1110) !== 0) {
        reject(new Error(`cfn-lint exited with ${code}: ${Buffer.concat(stderr).toString('utf8').slice(0, 2000)}`));
        return;
      }
      try {
        resolve(
          (JSON.parse(output) as RawFinding[]).map((raw) => {
            const file = basename(raw.Filename);
            const logicalId = raw.Location.Path[0] === 'Resources' ? String(raw.Location.Path[1]) : undefined;
            const construct = logicalId === undefined ? undefined : (names.get(file)?.get(logicalId) ?? logicalId);
            return { rule: raw.Rule.Id, level: raw.Level, message: raw.Message, file, path: raw.Location.Path.join('/'), ...(construct === undefined ? {} : { construct }) };
          }),
        );
      } catch (error) {
        reject(new Error(`cfn-lint printed no JSON: ${output.slice(0, 500)} (${String(error)})`));
      }
    });
  });
}

/** The findings that are neither informational nor accepted in {@link ACCEPTED_FINDINGS}. */
export function unacceptedFindings(findings: readonly CfnLintFinding[], accepted: readonly AcceptedFinding[] = ACCEPTED_FINDINGS): CfnLintFinding[] {
  return findings.filter(
    (finding) => finding.level !== 'Informational' && !(finding.level === 'Warning' && accepted.some((entry) => entry.rule === finding.rule && entry.construct === finding.construct)),
  );
}
