/**
 * Test support: a synthesized dashboard's body as JSON, its CloudFormation tokens (region, alarm
 * ARNs, topic name) replaced by `<Ref>` placeholders, and the metrics its widgets draw.
 */
import type { Template } from 'aws-cdk-lib/assertions';

/** One metric as a widget draws it: `[namespace, name, dimension, value, …, options?]`, or an expression. */
export interface DrawnMetric {
  readonly namespace?: string;
  readonly name?: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly expression?: string;
  readonly widget: string;
}

/** A dashboard body's widget. */
export interface DashboardWidget {
  readonly type: string;
  readonly width: number;
  readonly height: number;
  readonly properties: { readonly title?: string; readonly metrics?: unknown[][]; readonly alarms?: string[]; readonly annotations?: { horizontal?: { value: number; label: string }[] } } & Record<string, unknown>;
}

/** The template's one dashboard body, parsed. */
export function dashboardBody(template: Template): { widgets: DashboardWidget[]; start?: string } {
  const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  if (dashboards.length !== 1) throw new Error(`expected one dashboard, found ${dashboards.length}`);
  const body = dashboards[0]!.Properties.DashboardBody as string | { 'Fn::Join': [string, unknown[]] };
  const text = typeof body === 'string' ? body : body['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : '<Ref>')).join('');
  return JSON.parse(text) as { widgets: DashboardWidget[] };
}

/** Every metric the widgets draw, with the widget's title. */
export function drawnMetrics(widgets: readonly DashboardWidget[]): DrawnMetric[] {
  return widgets.flatMap((widget) =>
    (widget.properties.metrics ?? []).map((row) => {
      const options = (typeof row[row.length - 1] === 'object' ? row[row.length - 1] : {}) as { expression?: string };
      if (options.expression !== undefined) return { expression: options.expression, dimensions: {}, widget: widget.properties.title ?? '' };
      const fields = row.filter((cell): cell is string => typeof cell === 'string');
      const [namespace, name, ...pairs] = fields;
      const dimensions: Record<string, string> = {};
      for (let index = 0; index + 1 < pairs.length; index += 2) dimensions[pairs[index]!] = pairs[index + 1]!;
      return { namespace, name, dimensions, widget: widget.properties.title ?? '' };
    }),
  );
}
