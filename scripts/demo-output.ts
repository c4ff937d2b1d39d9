/** What `npm run demo` prints of the CLI's output (scripts/demo.ts). */

/**
 * The CLI's output with every alert but the first critical one (or the first) cut to its header,
 * subject and SMS: the table and one e-mail show what the monitor says; the rest would scroll it away.
 */
export function shortenAlerts(output: string): string {
  const blocks = [...output.matchAll(/^=== alert: .*?^=== end of alert ===\n?/gms)];
  if (blocks.length === 0) return output;
  const full = blocks.find((block) => /^=== alert: .*\(CRITICAL\) ===/.test(block[0])) ?? blocks[0]!;
  let shortened = '';
  let from = 0;
  for (const block of blocks) {
    shortened += output.slice(from, block.index);
    from = block.index + block[0].length;
    if (block === full) shortened += block[0];
    else shortened += `${block[0].split('\n').filter((line) => /^(=== alert: |Subject: |SMS: )/.test(line)).join('\n')}\n\n`;
  }
  return `${shortened}${output.slice(from).trimEnd()}\n(the e-mail of every alert: npm run demo -- --show-alerts)`;
}
