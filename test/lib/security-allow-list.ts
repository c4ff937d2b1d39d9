/**
 * The allow-list table of docs/SECURITY.md ("Permissions: the allow-list"), parsed, and the
 * check of a template's permissions against it: every permission granted must be listed (same
 * policy and principal, a listed action on a listed resource, with every condition the row
 * names), and every row must be granted by some template, so neither can drift from the other.
 */
import { readFileSync } from 'node:fs';
import type { GrantedPermission } from './template-permissions.ts';

/** The heading of the section that holds the table. */
export const ALLOW_LIST_HEADING = '## Permissions: the allow-list';

/** The table's columns, in order. */
export const ALLOW_LIST_COLUMNS = ['policy', 'principal', 'actions', 'resources', 'conditions', 'why'] as const;

/** One row of the table. Empty principal / resource: the row is for an identity / trust policy. */
export interface AllowListRow {
  readonly policy: string;
  readonly principals: readonly string[];
  readonly actions: readonly string[];
  /** Exact ARNs or patterns with placeholders (`{parameter}`, `{apiKeyParameterPath}`, `{kmsKeyArn}`). */
  readonly resources: readonly string[];
  readonly conditions: readonly string[];
  readonly why: string;
}

/** What a placeholder in a resource stands for in one template. */
export type Placeholders = Readonly<Record<string, readonly string[]>>;

/** The backticked items of a cell; `—` (nothing granted to anyone in particular) is one empty item. */
function items(cell: string): string[] {
  if (cell === '—') return [''];
  return [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1]!);
}

/**
 * The rows of the allow-list table in a SECURITY.md text.
 *
 * @throws Error naming the line when the section, the table or a row is malformed
 */
export function parseAllowList(markdown: string): AllowListRow[] {
  const lines = markdown.split('\n');
  const start = lines.indexOf(ALLOW_LIST_HEADING);
  if (start < 0) throw new Error(`docs/SECURITY.md has no section "${ALLOW_LIST_HEADING}"`);
  const header = lines.findIndex((line, index) => index > start && line.startsWith('|'));
  const cellsOf = (line: string) => line.slice(1, -1).split(' | ').map((cell) => cell.trim());
  if (header < 0 || cellsOf(lines[header]!).join(',') !== ALLOW_LIST_COLUMNS.join(','))
    throw new Error(`the allow-list table must have the columns ${ALLOW_LIST_COLUMNS.join(', ')} (line ${header + 1})`);
  const rows: AllowListRow[] = [];
  for (let index = header + 2; index < lines.length && lines[index]!.startsWith('|'); index++) {
    const cells = cellsOf(lines[index]!);
    const [policy, principal, actions, resources, conditions, why] = cells;
    const row = {
      policy: items(policy ?? '')[0] ?? '',
      principals: items(principal ?? ''),
      actions: items(actions ?? ''),
      resources: items(resources ?? ''),
      conditions: conditions === '—' ? [] : items(conditions ?? ''),
      why: why ?? '',
    };
    if (cells.length !== ALLOW_LIST_COLUMNS.length || row.policy === '' || row.actions.length === 0 || row.resources.length === 0 || row.why.length < 20)
      throw new Error(`docs/SECURITY.md line ${index + 1}: an allow-list row needs a policy, a principal or —, actions, resources or —, conditions or —, and a reason`);
    rows.push(row);
  }
  return rows;
}

/** The allow-list of the project's docs/SECURITY.md. */
export function readAllowList(): AllowListRow[] {
  return parseAllowList(readFileSync(new URL('../../docs/SECURITY.md', import.meta.url), 'utf8'));
}

/** A row's resources with each placeholder replaced by every value it has (none: the pattern matches nothing). */
function expandResources(row: AllowListRow, placeholders: Placeholders): string[] {
  return row.resources.flatMap((pattern) => {
    const placeholder = /\{(\w+)\}/.exec(pattern);
    if (placeholder === null) return [pattern];
    return (placeholders[placeholder[1]!] ?? []).map((value) => pattern.replace(placeholder[0], value));
  });
}

/** What {@link checkAgainstAllowList} found. */
export interface AllowListCheck {
  /** One sentence per permission that is not listed, or lacks a listed condition. */
  readonly violations: readonly string[];
  /** The indexes of the rows some permission matched. */
  readonly usedRows: ReadonlySet<number>;
}

function describe(permission: GrantedPermission): string {
  const principal = permission.principal === '' ? '' : ` to ${permission.principal}`;
  const resource = permission.resource === '' ? '' : ` on ${permission.resource}`;
  return `${permission.source}: ${permission.policy} grants ${permission.action}${resource}${principal}`;
}

/**
 * Checks permissions against the allow-list.
 *
 * @param placeholders - the values of the resource placeholders in the template the permissions are from
 */
export function checkAgainstAllowList(permissions: readonly GrantedPermission[], rows: readonly AllowListRow[], placeholders: Placeholders): AllowListCheck {
  const violations: string[] = [];
  const usedRows = new Set<number>();
  for (const permission of permissions) {
    const listed = rows
      .map((row, index) => ({ row, index }))
      .filter(({ row }) => row.policy === permission.policy && row.principals.includes(permission.principal) && row.actions.includes(permission.action))
      .filter(({ row }) => expandResources(row, placeholders).includes(permission.resource));
    if (listed.length === 0) {
      violations.push(`${describe(permission)}, which the allow-list does not list`);
      continue;
    }
    const satisfied = listed.filter(({ row }) => row.conditions.every((condition) => permission.conditions.includes(condition)));
    if (satisfied.length === 0) {
      const missing = listed[0]!.row.conditions.filter((condition) => !permission.conditions.includes(condition));
      violations.push(`${describe(permission)} without the condition${missing.length > 1 ? 's' : ''} ${missing.join('; ')}`);
      continue;
    }
    for (const { index } of satisfied) usedRows.add(index);
  }
  return { violations, usedRows };
}
