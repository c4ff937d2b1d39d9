import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, startSimulatedPortals, type SimulatedPortals } from './simulated-portal.ts';

const KEY = 'sk-simulated-key';
const AUTH = { authorization: `Bearer ${KEY}` };

let docspace: SimulatedPortals | undefined;

afterEach(async () => {
  await docspace?.close();
  docspace = undefined;
});

async function get(url: string, headers: Record<string, string> = AUTH): Promise<{ status: number; text: string }> {
  const response = await request(url, { headers });
  return { status: response.statusCode, text: await response.body.text() };
}

describe('startSimulatedPortals', () => {
  it('serves each portal under its own path prefix, in the DocSpace envelope', async () => {
    // Prepare
    docspace = await startSimulatedPortals({ a: { apiKey: KEY, settings: { timezone: 'Europe/Berlin' } }, b: { apiKey: KEY } });

    // Act
    const a = await get(`${docspace.urlOf('a')}api/2.0/settings`);
    const b = await get(`${docspace.urlOf('b')}api/2.0/settings`);

    // Assess
    expect(JSON.parse(a.text)).toMatchObject({ response: { timezone: 'Europe/Berlin' }, count: 1, status: 0, statusCode: 200 });
    expect(JSON.parse(b.text)).toMatchObject({ response: DEFAULT_SETTINGS });
    expect(docspace.urlOf('a')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/a\/$/);
  });

  it('answers "none" as 200 without a response member', async () => {
    // Prepare
    docspace = await startSimulatedPortals({ a: { apiKey: KEY, schedule: null } });

    // Act
    const answer = await get(`${docspace.urlOf('a')}api/2.0/backup/getbackupschedule`);

    // Assess
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).not.toHaveProperty('response');
  });

  it.each<Record<string, string>>([{}, { authorization: KEY }, { authorization: 'Bearer other' }])('answers 401 with an empty body to %j', async (headers) => {
    // Prepare
    docspace = await startSimulatedPortals({ a: { apiKey: KEY } });

    // Act
    const answer = await get(`${docspace.urlOf('a')}api/2.0/backup/getbackupschedule`, headers);

    // Assess
    expect(answer).toEqual({ status: 401, text: '' });
  });

  it('serves a sequence in turn, repeats its last answer, and restarts it on setPortal', async () => {
    // Prepare
    docspace = await startSimulatedPortals({});
    const portal = { apiKey: KEY, progress: { sequence: [{ status: 503 }, { status: 429 }, null] } };
    docspace.setPortal('a', portal);
    const url = `${docspace.urlOf('a')}api/2.0/backup/getbackupprogress`;

    // Act
    const first = [await get(url), await get(url), await get(url), await get(url)].map((answer) => answer.status);
    docspace.setPortal('a', portal);
    const again = (await get(url)).status;

    // Assess
    expect(first).toEqual([503, 429, 200, 200]);
    expect(again).toBe(503);
  });

  it('records every request with its headers and query', async () => {
    // Prepare
    docspace = await startSimulatedPortals({ a: { apiKey: KEY } });

    // Act
    await get(`${docspace.urlOf('a')}api/2.0/portal/getbackupschedule?x=1`);

    // Assess
    expect(docspace.requests).toEqual([
      expect.objectContaining({ method: 'GET', path: '/a/api/2.0/portal/getbackupschedule', query: { x: '1' }, portal: 'a', endpoint: 'schedule' }),
    ]);
    expect(docspace.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('closes while a response is still trickling', async () => {
    // Prepare
    docspace = await startSimulatedPortals({ a: { apiKey: KEY, history: { body: 'x'.repeat(1000), trickleBytesPerSecond: 10 } } });
    const response = await request(`${docspace.urlOf('a')}api/2.0/backup/getbackuphistory`, { headers: AUTH });
    const reading = response.body.text().then(
      () => 'complete',
      () => 'cut',
    );

    // Act
    await docspace.close();
    docspace = undefined;

    // Assess
    expect(await reading).toBe('cut');
  });
});
