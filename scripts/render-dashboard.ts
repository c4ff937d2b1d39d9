// Draws docs/dashboard.png from the dashboard the stack defines: the widgets, their places,
// titles, metrics, labels and annotations come from the synthesized DashboardBody; the lines are
// sample data (there is no account here). Needs chromium: `npx tsx scripts/render-dashboard.ts`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { parseConfig } from '../functions/check/config.ts';
import { DocSpaceBackupMonitorStack } from '../lib/docspace-backup-monitor-stack.ts';

const OUT = new URL('../docs/dashboard.png', import.meta.url).pathname;
const DAYS = 28;

const config = parseConfig({
  portals: [
    { name: 'acme-prod', url: 'https://acme.onlyoffice.com', apiKey: { ssmParameter: '/docspace/acme-prod/api-key' } },
    { name: 'acme-test', url: 'https://acme-test.onlyoffice.com', apiKey: { ssmParameter: '/docspace/acme-test/api-key' } },
    { name: 'beta', url: 'https://beta.onlyoffice.com', apiKey: { ssmParameter: '/docspace/beta/api-key' }, policy: { maxBackupAgeHours: 30 } },
  ],
  policy: { schedule: { period: 'EveryDay', hour: 2 }, graceMinutes: 60 },
  alerts: { email: ['ops@acme.example'], sms: ['+491701234567'] },
});
const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'dashboard-picture-')) });
const stack = new DocSpaceBackupMonitorStack(app, 'DocSpaceBackupMonitor', { config });
const dashboards = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard'));
const body = dashboards[0]!.Properties.DashboardBody as { 'Fn::Join': [string, unknown[]] };
const { widgets } = JSON.parse(body['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : '"REF"').replace(/^"REF"$/, 'REF')).join('')) as {
  widgets: { type: string; x: number; y: number; width: number; height: number; properties: Record<string, unknown> }[];
};
const { errorsAlarm, missedRunAlarm, deadLetterQueueAlarm, scheduleDeadLetterQueueAlarm } = stack.monitor.selfAlarms;
const alarmNames = [errorsAlarm, missedRunAlarm, deadLetterQueueAlarm, scheduleDeadLetterQueueAlarm, ...stack.monitor.deliveryPath.alarms].map((alarm) => alarm.node.id);

/** Deterministic sample values. */
let seed = 7;
const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'];
const STATUS_COLORS: Record<string, string> = { OK: '#2ca02c', WARNING: '#ff9900', CRITICAL: '#d62728', UNKNOWN: '#7f7f7f' };

function sample(label: string, name: string): number[] {
  return Array.from({ length: DAYS }, (_, day) => {
    if (name === 'BackupAgeHours') return label === 'acme-test' && day >= 22 ? 5 + (day - 22) * 24 : 5 + random() * 2;
    if (name === 'PortalsOk') return day >= 22 ? 2 : 3;
    if (name === 'PortalsCritical') return day >= 23 ? 1 : 0;
    if (name === 'PortalsWarning' || name === 'PortalsUnknown') return day === 22 ? 1 : 0;
    if (name === 'AlertsSent') return day >= 22 ? 1 : 0;
    if (name === 'DeliveryPathProblems') return day < 2 ? 1 : 0;
    return 0;
  });
}

function chart(widget: (typeof widgets)[number], w: number, h: number): string {
  const rows = (widget.properties.metrics as unknown[][]) ?? [];
  const stacked = widget.properties.stacked === true;
  const series = rows.map((row, index) => {
    const options = (row.at(-1) ?? {}) as { label?: string };
    const name = String(row[1]);
    const label = options.label ?? name;
    return { label, values: sample(label, name), color: STATUS_COLORS[label] ?? COLORS[index % COLORS.length]! };
  });
  const annotations = ((widget.properties.annotations as { horizontal?: { value: number; label: string }[] } | undefined)?.horizontal ?? []);
  const totals = Array.from({ length: DAYS }, (_, day) => series.reduce((sum, s) => sum + s.values[day]!, 0));
  const max = Math.max(1, ...(stacked ? totals : series.flatMap((s) => s.values)), ...annotations.map((a) => a.value * 1.15)) * 1.1;
  const legendWidth = w < 500 ? 95 : 200;
  const pw = w - legendWidth - 40;
  const x = (day: number) => 34 + (day / (DAYS - 1)) * pw;
  const y = (value: number) => 8 + (1 - value / max) * (h - 30);
  const grid = [0, 0.25, 0.5, 0.75, 1].map((f) => `<line x1="34" x2="${34 + pw}" y1="${y(max * f)}" y2="${y(max * f)}" stroke="#e5e5e5"/><text x="30" y="${y(max * f) + 4}" font-size="10" text-anchor="end" fill="#666">${max < 5 ? (max * f).toFixed(1) : Math.round(max * f)}</text>`).join('');
  let below = Array.from({ length: DAYS }, () => 0);
  const lines = series
    .map((s) => {
      if (!stacked) return `<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${s.values.map((v, d) => `${x(d)},${y(v)}`).join(' ')}"/>`;
      const top = s.values.map((v, d) => below[d]! + v);
      const area = `<polygon fill="${s.color}" fill-opacity="0.6" points="${[...top.map((v, d) => `${x(d)},${y(v)}`), ...below.map((v, d) => `${x(d)},${y(v)}`).reverse()].join(' ')}"/>`;
      below = top;
      return area;
    })
    .join('');
  const marks = annotations.map((a) => `<line x1="34" x2="${34 + pw}" y1="${y(a.value)}" y2="${y(a.value)}" stroke="#d62728" stroke-dasharray="6 4"/><text x="${36 + pw}" y="${y(a.value) - 3}" font-size="10" text-anchor="end" fill="#d62728">${a.label}</text>`).join('');
  const legend = series.map((s, i) => `<rect x="${w - legendWidth}" y="${10 + i * 16}" width="10" height="10" fill="${s.color}"/><text x="${w - legendWidth + 14}" y="${19 + i * 16}" font-size="11">${s.label}</text>`).join('');
  return `<svg width="${w}" height="${h}">${grid}${lines}${marks}${legend}</svg>`;
}

function render(widget: (typeof widgets)[number], w: number, h: number): string {
  const title = String(widget.properties.title ?? '');
  if (widget.type === 'alarm') return `<h3>${title}</h3>${alarmNames.map((name) => `<div class="alarm"><span class="ok">OK</span>${name}</div>`).join('')}`;
  if (widget.properties.view === 'singleValue') {
    const rows = widget.properties.metrics as unknown[][];
    const values = ['41.7', '3'];
    return `<h3>${title}</h3><div class="single">${rows.map((row, i) => `<div><div class="big">${values[i]}</div><div>${(row.at(-1) as { label?: string }).label}</div></div>`).join('')}</div>`;
  }
  return `<h3>${title}</h3>${chart(widget, w - 20, h - 44)}`;
}

const UNIT_W = 1200 / 24;
const UNIT_H = 46;
const height = Math.max(...widgets.map((widget) => widget.y + widget.height)) * UNIT_H + 70;
const html = `<!doctype html><html><head><meta charset="utf-8"><style>
body{margin:0;font-family:Arial,Helvetica,sans-serif;background:#f2f3f3;width:1220px}
header{padding:10px 14px;font-size:15px;color:#16191f}header small{color:#687078}
.w{position:absolute;background:#fff;border:1px solid #d5dbdb;box-sizing:border-box;padding:6px 10px;overflow:hidden}
h3{font-size:13px;margin:2px 0 6px;color:#16191f}.alarm{font-size:12px;padding:5px 0;border-bottom:1px solid #eee}
.ok{display:inline-block;background:#1d8102;color:#fff;border-radius:3px;padding:1px 6px;margin-right:8px;font-size:11px}
.single{display:flex;gap:40px;padding:20px}.big{font-size:40px;color:#0073bb}
</style></head><body><header><b>DocSpaceBackupMonitor dashboard</b> <small>— drawn from the synthesized DashboardBody (layout, widgets, metrics, limits); sample data over ${DAYS} days</small></header>
${widgets.map((widget) => `<div class="w" style="left:${10 + widget.x * UNIT_W}px;top:${50 + widget.y * UNIT_H}px;width:${widget.width * UNIT_W - 6}px;height:${widget.height * UNIT_H - 6}px">${render(widget, widget.width * UNIT_W - 6, widget.height * UNIT_H - 6)}</div>`).join('\n')}
</body></html>`;

const dir = mkdtempSync(join(tmpdir(), 'dashboard-html-'));
const file = join(dir, 'dashboard.html');
writeFileSync(file, html);
execFileSync('chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', `--screenshot=${OUT}`, `--window-size=1220,${height}`, `file://${file}`], { stdio: 'ignore' });
rmSync(dir, { recursive: true, force: true });
rmSync(app.outdir, { recursive: true, force: true });
console.log(`wrote ${OUT}`);
