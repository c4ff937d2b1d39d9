/**
 * A local CloudWatch speaking the wire protocol `@aws-sdk/client-cloudwatch` 3.1164 uses: AWS
 * JSON 1.0 (`POST /`, `x-amz-target: GraniteServiceVersion20100801.<Operation>`, timestamps as
 * epoch seconds) with the Query-compatible error header. Knows `GetMetricData` over datapoints
 * a test puts in (the statistics `Maximum`, `Minimum`, `Sum`, `Average`, `SampleCount`, in
 * buckets of the query's period), records every request, and fails on demand.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A CloudWatch error as it goes over the wire. */
export interface CloudWatchError {
  readonly code: string;
  readonly message: string;
  readonly status: number;
}

/** Errors CloudWatch really returns, ready to inject. */
export const CloudWatchErrors = {
  accessDenied: { code: 'AccessDenied', message: 'User: arn:aws:sts::123456789012:assumed-role/monitor/check is not authorized to perform: cloudwatch:GetMetricData', status: 403 },
  throttling: { code: 'Throttling', message: 'Rate exceeded', status: 400 },
  internal: { code: 'InternalServiceError', message: 'An internal error occurred', status: 500 },
} as const satisfies Record<string, CloudWatchError>;

/** One datapoint of a metric. */
export interface FakeDatapoint {
  readonly timestamp: Date;
  readonly value: number;
}

/** One request the fake received. */
export interface RecordedCloudWatchRequest {
  readonly operation: string;
  readonly body: Record<string, unknown>;
}

/** A running fake CloudWatch. */
export interface FakeCloudWatch {
  /** `http://127.0.0.1:<port>`, for `AWS_ENDPOINT_URL_CLOUDWATCH` or a client's `endpoint`. */
  readonly endpoint: string;
  readonly requests: RecordedCloudWatchRequest[];
  /** Adds datapoints to a metric (dimensions as name → value; none for account-wide metrics). */
  putDatapoints(namespace: string, metricName: string, datapoints: readonly FakeDatapoint[], dimensions?: Record<string, string>): void;
  /** Fails the next `times` calls (or every one) with this error. */
  failCalls(error: CloudWatchError, options?: { readonly times?: number }): void;
  close(): Promise<void>;
}

const TARGET_PREFIX = 'GraniteServiceVersion20100801.';

interface MetricQuery {
  readonly Id: string;
  readonly MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions?: { Name: string; Value: string }[] }; Period: number; Stat: string };
}

function metricKey(namespace: string, metricName: string, dimensions: Record<string, string>): string {
  return JSON.stringify([namespace, metricName, Object.entries(dimensions).sort(([a], [b]) => a.localeCompare(b))]);
}

function statistic(stat: string, values: readonly number[]): number {
  switch (stat) {
    case 'Maximum':
      return Math.max(...values);
    case 'Minimum':
      return Math.min(...values);
    case 'Sum':
      return values.reduce((sum, value) => sum + value, 0);
    case 'Average':
      return values.reduce((sum, value) => sum + value, 0) / values.length;
    case 'SampleCount':
      return values.length;
    default:
      throw new Error(`the fake does not know the statistic ${stat}`);
  }
}

/**
 * Starts a fake CloudWatch on a random loopback port.
 *
 * @example
 * const cloudWatch = await startFakeCloudWatch();
 * cloudWatch.putDatapoints('AWS/SNS', 'SMSMonthToDateSpentUSD', [{ timestamp: now, value: 0.85 }]);
 */
export async function startFakeCloudWatch(): Promise<FakeCloudWatch> {
  const requests: RecordedCloudWatchRequest[] = [];
  const metrics = new Map<string, FakeDatapoint[]>();
  const failures: { error: CloudWatchError; remaining: number }[] = [];

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const target = String(request.headers['x-amz-target'] ?? '');
      const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : target;
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        body = {};
      }
      requests.push({ operation, body });
      const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        const text = JSON.stringify(payload);
        response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'content-length': Buffer.byteLength(text), 'x-amzn-requestid': randomUUID(), ...headers });
        response.end(text);
      };
      const fail = (error: CloudWatchError) =>
        send(error.status, { __type: `com.amazonaws.cloudwatch#${error.code}`, message: error.message }, { 'x-amzn-query-error': `${error.code};${error.status >= 500 ? 'Receiver' : 'Sender'}` });

      const failure = failures.find((candidate) => candidate.remaining > 0);
      if (failure) {
        failure.remaining -= 1;
        fail(failure.error);
        return;
      }
      if (request.method !== 'POST' || operation !== 'GetMetricData') {
        fail({ code: 'UnknownOperationException', message: `unknown operation ${operation}`, status: 400 });
        return;
      }
      const start = Number(body.StartTime);
      const end = Number(body.EndTime);
      const queries = (body.MetricDataQueries ?? []) as MetricQuery[];
      if (!Number.isFinite(start) || !Number.isFinite(end) || start >= end || queries.length === 0) {
        fail({ code: 'InvalidParameterValue', message: 'The parameter StartTime must be less than the parameter EndTime.', status: 400 });
        return;
      }
      const results = queries.map((query) => {
        const stat = query.MetricStat!;
        const dimensions = Object.fromEntries((stat.Metric.Dimensions ?? []).map((dimension) => [dimension.Name, dimension.Value]));
        const points = (metrics.get(metricKey(stat.Metric.Namespace, stat.Metric.MetricName, dimensions)) ?? []).filter(
          (point) => point.timestamp.getTime() / 1000 >= start && point.timestamp.getTime() / 1000 < end,
        );
        const buckets = new Map<number, number[]>();
        for (const point of points) {
          const bucket = start + Math.floor((point.timestamp.getTime() / 1000 - start) / stat.Period) * stat.Period;
          buckets.set(bucket, [...(buckets.get(bucket) ?? []), point.value]);
        }
        const timestamps = [...buckets.keys()].sort((a, b) => b - a);
        return { Id: query.Id, Label: stat.Metric.MetricName, Timestamps: timestamps, Values: timestamps.map((at) => statistic(stat.Stat, buckets.get(at)!)), StatusCode: 'Complete' };
      });
      send(200, { MetricDataResults: results, Messages: [] });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    putDatapoints(namespace, metricName, datapoints, dimensions = {}) {
      const key = metricKey(namespace, metricName, dimensions);
      metrics.set(key, [...(metrics.get(key) ?? []), ...datapoints]);
    },
    failCalls(error, options = {}) {
      failures.push({ error, remaining: options.times ?? Number.POSITIVE_INFINITY });
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      });
    },
  };
}
