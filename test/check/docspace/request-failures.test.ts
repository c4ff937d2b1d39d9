import { errors } from 'undici';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import {
  classifyTransportError,
  describeSchemaIssues,
  docspaceErrorMessage,
  formatBytes,
  statusFailure,
} from '../../../functions/check/docspace/request-failures.ts';
import { BackupHistorySchema, BackupRecordSchema, BackupScheduleSchema } from '../../../functions/check/docspace/schemas.ts';
import { docspaceError, FAKE_STACK_MARKER } from '../../support/simulated-portal.ts';

function nodeError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code });
}

describe('classifyTransportError', () => {
  it.each([
    { error: new errors.HeadersTimeoutError(), kind: 'headers-timeout', retryable: false },
    { error: new errors.BodyTimeoutError(), kind: 'body-timeout', retryable: false },
    { error: new errors.ConnectTimeoutError(), kind: 'connect-timeout', retryable: true },
    { error: new errors.ResponseExceededMaxSizeError(), kind: 'too-large', retryable: false },
    { error: new errors.RequestAbortedError(), kind: 'aborted', retryable: false },
    { error: nodeError('ECONNREFUSED'), kind: 'network', retryable: true },
    { error: nodeError('ECONNRESET'), kind: 'network', retryable: true },
    { error: new errors.SocketError('other side closed'), kind: 'network', retryable: true },
    { error: nodeError('ENOTFOUND'), kind: 'network', retryable: false },
    { error: nodeError('CERT_HAS_EXPIRED'), kind: 'tls', retryable: false },
    { error: nodeError('ERR_TLS_CERT_ALTNAME_INVALID'), kind: 'tls', retryable: false },
    { error: Object.assign(new Error('fetch failed'), { cause: nodeError('ERR_SSL_WRONG_VERSION_NUMBER') }), kind: 'tls', retryable: false },
  ])('classifies $error.name ($error.code) as $kind, retryable $retryable', ({ error, kind, retryable }) => {
    // Act
    const problem = classifyTransportError(error);

    // Assess
    expect(problem).toMatchObject({ kind, retryable });
  });

  it('prefers the code of the cause that explains a socket error', () => {
    // Prepare
    const error = new errors.SocketError('other side closed');
    (error as Error).cause = nodeError('ECONNRESET');

    // Act
    const problem = classifyTransportError(error);

    // Assess
    expect(problem).toEqual({ kind: 'network', code: 'ECONNRESET', retryable: true });
  });
});

describe('docspaceErrorMessage', () => {
  it('reads error.message and never the stack', () => {
    // Act
    const message = docspaceErrorMessage(JSON.stringify(docspaceError(403, 'Access denied')));

    // Assess
    expect(message).toBe('Access denied');
  });

  it('strips control characters and stack lines inside the message, and truncates it', () => {
    // Prepare
    const raw = `Disk\u0007 full\u001b[31m!\r\n   at ${FAKE_STACK_MARKER}.Write(Stream s)\n${'x'.repeat(500)}`;

    // Act
    const message = docspaceErrorMessage(JSON.stringify(docspaceError(500, raw))) ?? '';

    // Assess
    expect(message.startsWith('Disk full [31m!')).toBe(true);
    expect(message).not.toContain(FAKE_STACK_MARKER);
    expect(message).not.toMatch(/[\u0000-\u001f\u007f]/);
    expect(Array.from(message).length).toBeLessThanOrEqual(200);
  });

  it.each(['', '<html>error</html>', '{"error":"plain"}', '{"message":"top level"}', '{"error":{"message":42}}', '{broken'])(
    'returns undefined for %j',
    (body) => {
      // Act
      const message = docspaceErrorMessage(body);

      // Assess
      expect(message).toBeUndefined();
    },
  );
});

describe('statusFailure', () => {
  it.each([
    { status: 401, cause: 'AUTH_REJECTED' },
    { status: 402, cause: 'PAYMENT_REQUIRED' },
    { status: 403, cause: 'FORBIDDEN' },
    { status: 404, cause: 'PORTAL_NOT_FOUND' },
    { status: 429, cause: 'RATE_LIMITED' },
    { status: 500, cause: 'SERVER_ERROR' },
    { status: 599, cause: 'SERVER_ERROR' },
    { status: 400, cause: 'BAD_RESPONSE' },
    { status: 418, cause: 'BAD_RESPONSE' },
  ])('maps HTTP $status to $cause whatever the body says', ({ status, cause }) => {
    // Prepare
    const misleading = JSON.stringify({ ...docspaceError(200, 'all fine'), statusCode: 200 });

    // Act
    const failure = statusFailure({ source: 'history', endpoint: 'getbackuphistory', status, bodyText: misleading, attempts: 1 });

    // Assess
    expect(failure).toMatchObject({ cause, source: 'history', httpStatus: status });
    expect(failure.detail.startsWith(`HTTP ${status} from getbackuphistory`)).toBe(true);
    expect(failure.detail).not.toContain(FAKE_STACK_MARKER);
  });
});

describe('statusFailure for a 404', () => {
  it.each([
    ['schedule', 'getbackupschedule', /the portal is unknown, suspended or pending removal/],
    ['settings', 'settings', /the portal is unknown, suspended or pending removal/],
    ['history', 'getbackuphistory', /this DocSpace version may not offer getbackuphistory/],
    ['progress', 'getbackupprogress', /this DocSpace version may not offer getbackupprogress/],
  ] as const)('blames the portal only when the %s request is the one not found', (source, endpoint, text) => {
    // Act
    const failure = statusFailure({ source, endpoint, status: 404, bodyText: '', attempts: 1 });

    // Assess
    expect(failure.detail).toMatch(text);
  });
});

describe('describeSchemaIssues', () => {
  it('names each member path and what was expected, never the value', () => {
    // Prepare: an odd storageType is carried, not an issue (what freshness does not need never fails the schedule)
    const parsed = BackupScheduleSchema.safeParse({ storageType: {}, cronParams: { period: 0, hour: 'secret-value' }, lastBackupTime: 3 });

    // Act
    const text = describeSchemaIssues(parsed.error?.issues ?? []);

    // Assess
    expect(text).toBe('cronParams.hour: expected number; lastBackupTime: expected string');
    expect(text).not.toContain('secret-value');
  });

  it('writes array indexes in brackets and counts the issues it leaves out', () => {
    // Prepare: the history skips records without a date, so the records are checked one schema down
    const parsed = z.array(BackupRecordSchema).safeParse([{}, {}, {}, {}, {}]);

    // Act
    const text = describeSchemaIssues(parsed.error?.issues ?? []);

    // Assess
    expect(text).toBe('[0].createdOn: expected string; [1].createdOn: expected string; [2].createdOn: expected string; and 2 more');
  });

  it('names the response itself when it has the wrong type', () => {
    // Prepare
    const parsed = BackupHistorySchema.safeParse({ records: [] });

    // Act
    const text = describeSchemaIssues(parsed.error?.issues ?? []);

    // Assess
    expect(text).toBe('response: expected array');
  });
});

describe('formatBytes', () => {
  it.each([
    { bytes: 1024 * 1024, text: '1 MiB' },
    { bytes: 2 * 1024 * 1024, text: '2 MiB' },
    { bytes: 64 * 1024, text: '64 KiB' },
    { bytes: 1000, text: '1000 bytes' },
  ])('writes $bytes as $text', ({ bytes, text }) => {
    // Act
    const written = formatBytes(bytes);

    // Assess
    expect(written).toBe(text);
  });
});
