/**
 * How config problems are told: each zod issue as `path: what is wrong, got value`, with the
 * path as users write it (`portals[1].policy.schedule.hour`), never echoing a key. Used by
 * config.ts; the same text appears at synth, in the CLI and in the handler. JSON syntax errors
 * are told by files/parse-json-text.ts, by line and column without quoting the text.
 */
import type * as z from 'zod/mini';

/** Formats a JSON path the way users write it: `portals[1].policy.schedule.hour`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else if (/^[$A-Za-z_][\w$]*$/.test(String(key))) text += text === '' ? String(key) : `.${String(key)}`;
    // A key pasted as a member name is not repeated either.
    else text += looksLikeSecret(String(key)) ? '[(a name that is not shown)]' : `[${JSON.stringify(String(key).slice(0, 60))}]`;
  }
  return text === '' ? '(top level)' : text;
}

/** Whether a path leads into a portal's API key source, whose values are never echoed. */
function isSecretPath(path: readonly PropertyKey[]): boolean {
  return path.includes('apiKey');
}

function looksLikeSecret(input: unknown): boolean {
  // A key inside a list or an object is as secret as a key on its own.
  const text = typeof input === 'string' ? input : (JSON.stringify(input) ?? '');
  return /(^|[\s"])(sk-|Bearer\s)/i.test(text);
}

function describeInput(input: unknown, path: readonly PropertyKey[] = []): string {
  if (input === undefined) return '';
  // A key pasted where a reference belongs must not be repeated in an error message or a log.
  if ((isSecretPath(path) && typeof input !== 'object') || looksLikeSecret(input)) return ', got a value that is not shown';
  if (isSecretPath(path) && typeof input === 'object' && input !== null) return '';
  const text = typeof input === 'string' ? JSON.stringify(input.length > 60 ? `${input.slice(0, 60)}…` : input) : JSON.stringify(input);
  if (text === undefined) return '';
  return text.length > 80 ? `, got ${typeof input}` : `, got ${text}`;
}

export function issueText(issue: z.core.$ZodIssue): string {
  const path = formatPath(issue.path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys
        .map((key) =>
          issue.path.at(-1) === 'severity' && key === 'CHECK_FAILED'
            ? `${formatPath([...issue.path, key])}: cannot be overridden: its severity follows its cause (critical for what a person must fix)`
            : `${formatPath([...issue.path, key])}: unknown key (check its spelling in docs/CONFIG.md)`,
        )
        .join('\n');
    case 'invalid_type':
      if (issue.input === undefined) return `${path}: is required`;
      if (!issue.message.startsWith('Invalid input')) return `${path}: ${issue.message}${describeInput(issue.input, issue.path)}`;
      return `${path}: must be ${issue.expected === 'int' ? 'a whole number' : `${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}`}${describeInput(issue.input, issue.path)}`;
    case 'invalid_key':
      return `${path}: ${issue.issues[0]?.message ?? issue.message}${describeInput(issue.issues[0]?.input, issue.path)}`;
    case 'invalid_union': {
      const onlyMissingKeys = issue.errors.every((errors) =>
        errors.every((e) => e.code === 'unrecognized_keys' || (e.code === 'invalid_type' && e.input === undefined && e.path.length === 1)),
      );
      if (onlyMissingKeys) return `${path}: ${issue.message}`;
      // Prefer the branch that got furthest: its problems say what is really wrong.
      const best = issue.errors.slice().sort((a, b) => a.length - b.length).find((errors) => errors.length > 0 && errors.every((e) => e.code !== 'invalid_type' || e.path.length > 0));
      if (best) return best.map((inner) => issueText({ ...inner, path: [...issue.path, ...inner.path] })).join('\n');
      return `${path}: ${issue.message}${describeInput(issue.input, issue.path)}`;
    }
    default:
      // Whole-config checks carry their full text (path included) in the message.
      if (issue.path.length === 0 && /^portals\[/.test(issue.message)) return issue.message;
      return `${path}: ${issue.message}${describeInput(issue.input, issue.path)}`;
  }
}

export function duplicateNameProblems(data: unknown): string[] {
  const portals = (data as { portals?: unknown } | null)?.portals;
  if (!Array.isArray(portals)) return [];
  const seen = new Map<string, number>();
  const problems: string[] = [];
  portals.forEach((portal: unknown, index) => {
    const name = (portal as { name?: unknown } | null)?.name;
    if (typeof name !== 'string') return;
    const first = seen.get(name);
    if (first === undefined) seen.set(name, index);
    else problems.push(duplicateNameText(index, first, name));
  });
  return problems;
}

export function duplicateNameText(index: number, first: number, name: string): string {
  return `portals[${index}].name: duplicate portal name (also portals[${first}].name), got ${JSON.stringify(name)}`;
}
