import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DocSpaceClient, DocSpaceSource } from '../../../functions/check/docspace/client.ts';
import type { Fetched } from '../../../functions/check/docspace/evidence.ts';
import { envelope, startSimulatedPortals, type SimulatedEndpoint, type SimulatedPortals } from '../../support/simulated-portal.ts';
import { API_KEY, failureOf, quickClient, targetOf, valueOf, wireFixture } from './portal-harness.ts';

let docspace: SimulatedPortals;
let client: DocSpaceClient;

beforeEach(async () => {
  docspace = await startSimulatedPortals({});
  client = quickClient([]);
});

afterEach(async () => {
  await client.close();
  await docspace.close();
});

function ask(endpoint: SimulatedEndpoint): Promise<Fetched<unknown>> {
  const target = targetOf(docspace, 'acme');
  switch (endpoint) {
    case 'schedule':
      return client.getSchedule(target);
    case 'progress':
      return client.getProgress(target);
    case 'history':
      return client.getHistory(target);
    case 'settings':
      return client.getSettings(target);
  }
}

/** A valid `response` for each endpoint, so a row fails for its envelope alone. */
const VALID_RESPONSE: Record<SimulatedEndpoint, unknown> = {
  schedule: wireFixture('schedule-daily'),
  progress: wireFixture('progress-ok'),
  history: wireFixture('history'),
  settings: wireFixture('settings'),
};

const ENDPOINTS: readonly SimulatedEndpoint[] = ['schedule', 'progress', 'history', 'settings'];

/** 200 answers whose JSON is an object but not DocSpace's envelope. */
const NOT_ENVELOPES: readonly { name: string; body: (endpoint: SimulatedEndpoint) => unknown; contentType?: string }[] = [
  { name: 'an empty object', body: () => ({}) },
  { name: 'a login page as JSON', body: () => ({ login: true, redirectUrl: 'https://sso.example.com/login', message: 'Please sign in' }) },
  {
    name: 'problem+json',
    body: () => ({ type: 'https://tools.ietf.org/html/rfc9110#section-15.3.1', title: 'OK', status: 200, traceId: '00-1-2-00' }),
    contentType: 'application/problem+json; charset=utf-8',
  },
  { name: 'a string status', body: (endpoint) => ({ response: VALID_RESPONSE[endpoint], status: 'ok', statusCode: 200 }) },
  { name: 'a string statusCode', body: (endpoint) => ({ response: VALID_RESPONSE[endpoint], status: 0, statusCode: '200' }) },
  { name: 'a response without status and statusCode', body: (endpoint) => ({ response: VALID_RESPONSE[endpoint], count: 1 }) },
  { name: 'a status that is neither 0 nor 1', body: (endpoint) => ({ response: VALID_RESPONSE[endpoint], status: 7, statusCode: 200 }) },
];

const ROWS = ENDPOINTS.flatMap((endpoint) => NOT_ENVELOPES.map((shape) => ({ endpoint, ...shape })));

describe('a 200 is DocSpace only when it looks like DocSpace', () => {
  it.each(ROWS)('$endpoint: $name is BAD_RESPONSE, not evidence', async ({ endpoint, body, contentType }) => {
    // Prepare
    docspace.setPortal('acme', {
      apiKey: API_KEY,
      [endpoint]: { status: 200, body: body(endpoint), headers: { 'content-type': contentType ?? 'application/json; charset=utf-8' } },
    });

    // Act
    const failure = failureOf(await ask(endpoint));

    // Assess
    expect(failure).toMatchObject({ cause: 'BAD_RESPONSE', source: endpoint satisfies DocSpaceSource, httpStatus: 200 });
    expect(failure.detail).toContain('not a DocSpace envelope');
  });

  it.each([
    { endpoint: 'schedule' as const, value: null },
    { endpoint: 'progress' as const, value: null },
  ])('$endpoint: only a real envelope without response means none', async ({ endpoint, value }) => {
    // Prepare
    docspace.setPortal('acme', { apiKey: API_KEY, [endpoint]: { body: envelope() } });

    // Act
    const result = await ask(endpoint);

    // Assess
    expect(valueOf(result)).toEqual(value);
  });

  it.each([
    { name: 'an empty object', response: {} },
    { name: 'a task without its error member', response: { isCompleted: true, progress: 100, status: 2 } },
  ])('progress: $name is BAD_RESPONSE, never "no failed task"', async ({ response }) => {
    // Prepare
    docspace.setPortal('acme', { apiKey: API_KEY, progress: { body: envelope(response) } });

    // Act
    const failure = failureOf(await client.getProgress(targetOf(docspace, 'acme')));

    // Assess
    expect(failure).toMatchObject({ cause: 'BAD_RESPONSE', source: 'progress', httpStatus: 200 });
    expect(failure.detail).toContain('error');
  });

  it('progress: a running task with an empty error still reads as a task', async () => {
    // Prepare
    docspace.setPortal('acme', { apiKey: API_KEY, progress: { isCompleted: false, progress: 40, error: '' } });

    // Act
    const task = valueOf(await client.getProgress(targetOf(docspace, 'acme')));

    // Assess
    expect(task).toMatchObject({ isCompleted: false, progress: 40, error: '' });
  });
});
