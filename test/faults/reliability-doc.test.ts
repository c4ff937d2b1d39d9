/**
 * docs/RELIABILITY.md and the tests agree: every row of its tables has exactly one test, named
 * after the row's id, in the file its section names, and every such test has a row; a row names
 * the same check-failed causes as its test's title. The numbers both docs quote are the code's.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SSM_CACHE_TTL_MS } from '../../functions/check/api-keys/ssm-key-reader.ts';
import { MAX_EVENT_PORTALS } from '../../functions/check/check-event.ts';
import {
  DEFAULT_BODY_TIMEOUT_MS,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_HEADERS_TIMEOUT_MS,
  DEFAULT_MAX_RETRIES,
  DEFAULT_MAX_RETRY_AFTER_MS,
  DEFAULT_MAX_RETRY_DELAY_MS,
  DEFAULT_REQUEST_TIMEOUT_MS,
} from '../../functions/check/docspace/client.ts';
import { formatMillis, MAX_PORTAL_MESSAGE_LENGTH } from '../../functions/check/docspace/request-failures.ts';
import { CheckFailedCause } from '../../functions/check/policy/types.ts';
import { DEFAULT_PUBLISH_RESERVE_MS } from '../../functions/check/run-check.ts';
import { STATE_TABLE_ACTIONS } from '../../functions/check/state/state-table.ts';
import { FAULT_CLIENT_LIMITS } from './harness.ts';

const DOCS = new URL('../../docs/', import.meta.url);
const FAULTS = new URL('./', import.meta.url);

/** Where each section's rows are tested, by the id's letter. */
const TEST_FILE_OF: Readonly<Record<string, string>> = {
  P: 'portal-faults.test.ts',
  A: 'aws-faults.test.ts',
  S: 'scale-and-time.test.ts',
  H: 'hostile-strings.test.ts',
  C: 'hostile-config.test.ts',
  K: 'canary.test.ts',
  R: 'run-faults.test.ts',
  D: 'delivery-faults.test.ts',
  T: 'template-faults.test.ts',
};

/** The columns every table has. */
const COLUMNS = ['id', 'fault', 'injected', 'expected', 'nothing lost'];

const CAUSES: ReadonlySet<string> = new Set(Object.values(CheckFailedCause));

interface DocRow {
  readonly id: string;
  readonly cells: readonly string[];
}

interface TestTitle {
  readonly id: string;
  readonly file: string;
  readonly title: string;
}

function read(url: URL): string {
  return readFileSync(url, 'utf8');
}

/** The table rows whose first cell is a row id (`P01`), with their cells. */
function docRows(markdown: string): DocRow[] {
  return markdown
    .split('\n')
    .filter((line) => /^\| [A-Z]\d{2} \|/.test(line))
    .map((line) => {
      const cells = line.slice(1, -1).split(' | ').map((cell) => cell.trim());
      return { id: cells[0]!, cells };
    });
}

/** Every string literal in the fault tests that starts with a row id and a space: a row's test title. */
function testTitles(): TestTitle[] {
  const files = readdirSync(FAULTS).filter((file) => file.endsWith('.test.ts') && file !== 'reliability-doc.test.ts');
  return files.flatMap((file) =>
    [...read(new URL(file, FAULTS)).matchAll(/(['"`])([A-Z]\d{2}) ([^'"`\n]*)\1/g)].map((match) => ({ id: match[2]!, file, title: `${match[2]} ${match[3]}` })),
  );
}

/** The check-failed causes a text names (`NETWORK`, `RATE_LIMITED`…), each once, sorted. */
function causesIn(text: string): string[] {
  return [...new Set(text.match(/[A-Z][A-Z_]+[A-Z]/g) ?? [])].filter((word) => CAUSES.has(word)).sort();
}

/** A doc's text with line breaks and runs of spaces folded, for sentence checks. */
function folded(markdown: string): string {
  return markdown.replace(/\s+/g, ' ');
}

const reliability = read(new URL('RELIABILITY.md', DOCS));
const security = read(new URL('SECURITY.md', DOCS));
const rows = docRows(reliability);
const titles = testTitles();

describe('docs/RELIABILITY.md', () => {
  it('lists each row id once, every row with the five columns', () => {
    // Assess
    expect(rows.length).toBeGreaterThan(50);
    expect(rows.map((row) => row.id)).toEqual([...new Set(rows.map((row) => row.id))]);
    for (const row of rows) {
      expect(row.cells, row.id).toHaveLength(COLUMNS.length);
      for (const cell of row.cells) expect(cell, row.id).not.toBe('');
    }
    expect(reliability.match(/^\| id \| fault \| injected \| expected \| nothing lost \|$/gm)?.length).toBe(new Set(rows.map((row) => row.id[0])).size);
  });

  it('has exactly one test per row, in the file its section names, and no test without a row', () => {
    // Assess
    expect(titles.map((title) => title.id).sort()).toEqual(rows.map((row) => row.id).sort());
    for (const { id, file } of titles) {
      expect(file, id).toBe(TEST_FILE_OF[id[0]!]);
      expect(reliability, id).toContain(`\`test/faults/${file}\``);
    }
  });

  it("names in each row's expected result the same check-failed causes as its test's title", () => {
    // Assess
    for (const row of rows) {
      const title = titles.find((candidate) => candidate.id === row.id);
      expect(causesIn(row.cells[3]!), `${row.id}: "${title?.title}"`).toEqual(causesIn(title?.title ?? ''));
    }
  });

  it('quotes the client limits the code has, deployed and in the fault runs', () => {
    // Prepare
    const text = folded(reliability);

    // Assess
    expect(text).toContain(
      `Deployed, the limits are ${formatMillis(DEFAULT_CONNECT_TIMEOUT_MS)}, ${formatMillis(DEFAULT_HEADERS_TIMEOUT_MS)}, ${formatMillis(DEFAULT_BODY_TIMEOUT_MS)} and ${formatMillis(DEFAULT_REQUEST_TIMEOUT_MS)}, with a backoff of up to ${formatMillis(DEFAULT_MAX_RETRY_DELAY_MS)} and a \`Retry-After\` cap of ${formatMillis(DEFAULT_MAX_RETRY_AFTER_MS)}`,
    );
    expect(text).toContain(
      `The fault runs give the client ${formatMillis(FAULT_CLIENT_LIMITS.connectTimeoutMs)} to connect, ${formatMillis(FAULT_CLIENT_LIMITS.headersTimeoutMs)} for the headers, ${formatMillis(FAULT_CLIENT_LIMITS.bodyTimeoutMs)} of body silence and ${formatMillis(FAULT_CLIENT_LIMITS.requestTimeoutMs)} per call, and retry twice (${DEFAULT_MAX_RETRIES + 1} attempts)`,
    );
    expect(DEFAULT_MAX_RETRIES).toBe(2);
    expect(text).toContain(`the function keeps ${DEFAULT_PUBLISH_RESERVE_MS / 1000} s for publishing (\`DEFAULT_PUBLISH_RESERVE_MS\`)`);
  });
});

describe('docs/SECURITY.md', () => {
  it('quotes the key cache, the state table actions, the event limits and the message length the code has', () => {
    // Prepare
    const text = folded(security);

    // Assess
    expect(text).toContain(`for up to ${DEFAULT_SSM_CACHE_TTL_MS / 60_000} minutes (\`DEFAULT_SSM_CACHE_TTL_MS\`)`);
    expect(text).toContain(`**Wait at least ${DEFAULT_SSM_CACHE_TTL_MS / 60_000} minutes**`);
    expect(text).toContain(STATE_TABLE_ACTIONS.map((action) => `\`${action}\``).join(', ').replace(/, (?=[^,]*$)/, ' and '));
    expect(text).toContain(`(1 to ${MAX_EVENT_PORTALS} configured names)`);
    expect(text).toContain(`a task error or a DocSpace error message to ${MAX_PORTAL_MESSAGE_LENGTH} characters`);
  });

  it('names only rows that exist in docs/RELIABILITY.md', () => {
    // Prepare
    const named = [...security.matchAll(/\b([PASHCK]\d{2})\b/g)].map((match) => match[1]!);
    const ranges = [...security.matchAll(/\b([PASHCK])(\d{2})-\1?(\d{2})\b/g)].flatMap((match) => [`${match[1]}${match[2]}`, `${match[1]}${match[3]}`]);

    // Assess
    expect(named.length).toBeGreaterThan(10);
    for (const id of [...named, ...ranges]) expect(rows.map((row) => row.id), id).toContain(id);
  });
});
