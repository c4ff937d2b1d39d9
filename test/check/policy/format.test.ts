import { describe, expect, it } from 'vitest';
import { formatHours, listNames, quotePortalText, sanitizePortalText } from '../../../functions/check/policy/format.ts';

const NET_STACK =
  'The required folder was not found\r\n' +
  '   at ASC.Data.Backup.Storage.DocumentsBackupStorage.GetFolderAsync(String folderId) in /app/Storage.cs:line 42\r\n' +
  '   at ASC.Data.Backup.Services.BackupWorker.RunJob`1.<DoJob>b__0()\r\n' +
  '--- End of stack trace from previous location ---\r\n' +
  '   at System.Runtime.CompilerServices.TaskAwaiter.ThrowForNonSuccess(Task task)';

describe('sanitizePortalText', () => {
  it.each([
    ['keeps plain text as it is', 'The required folder was not found', 'The required folder was not found'],
    ['turns control characters into spaces', 'bad\u0000folder\u0007name\u001b[31m', 'bad folder name [31m'],
    ['removes bidi overrides and zero-width characters', 'abc\u202Egpj.exe\u200B', 'abc gpj.exe'],
    ['collapses whitespace, newlines and tabs', '  one\r\n\ttwo   three  ', 'one two three'],
    ['cuts off a .NET stack trace', NET_STACK, 'The required folder was not found'],
    ['cuts off a stack trace on one line', 'Access denied at ASC.Core.Security.PermissionResolver.DemandAsync(...) at X.Y()', 'Access denied'],
    ['cuts off a stack trace that starts the text', '   at ASC.Core.Demand(...)', ''],
    ['cuts off .NET inner exception markers', 'Failed --- End of inner exception stack trace --- more', 'Failed'],
    ['keeps "at" in ordinary words', 'Failed at 02:00 at the storage (S3)', 'Failed at 02:00 at the storage (S3)'],
    ['redacts an API key echoed by the portal', 'key sk-abcdef0123456789 rejected', 'key sk-(redacted) rejected'],
    ['redacts a Bearer token', 'Authorization: Bearer eyJhbGciOi.x.y denied', 'Authorization: Bearer (redacted) denied'],
  ])('%s', (_scenario, text, expected) => {
    // Act and Assess
    expect(sanitizePortalText(text, 200)).toBe(expected);
  });

  it.each([
    ['at the limit: unchanged', 'x'.repeat(10), 10, 'x'.repeat(10)],
    ['one over the limit: cut with an ellipsis', 'x'.repeat(11), 10, `${'x'.repeat(9)}…`],
    ['without splitting a surrogate pair', '😀'.repeat(5), 3, '😀😀…'],
  ])('truncates %s', (_scenario, text, maxLength, expected) => {
    // Act
    const clean = sanitizePortalText(text, maxLength);

    // Assess
    expect(clean).toBe(expected);
    expect(Array.from(clean).length).toBeLessThanOrEqual(maxLength);
  });

  it('truncates to about 200 characters by default', () => {
    // Act
    const clean = sanitizePortalText('word '.repeat(100));

    // Assess
    expect(Array.from(clean)).toHaveLength(200);
    expect(clean.endsWith('…')).toBe(true);
  });
});

describe('quotePortalText', () => {
  it.each([
    ['quotes readable text', 'disk full', '"disk full"'],
    ['gives the fallback when only a stack trace is left', '   at A.B()', '(none)'],
    ['gives the fallback for blank text', ' \n ', '(none)'],
  ])('%s', (_scenario, text, expected) => {
    // Act and Assess
    expect(quotePortalText(text, '(none)')).toBe(expected);
  });
});

describe('formatHours', () => {
  it.each([
    [26, '26 h'],
    [49.123, '49.1 h'],
  ])('writes %d hours as %s', (hours, expected) => {
    // Act and Assess
    expect(formatHours(hours)).toBe(expected);
  });
});

describe('listNames', () => {
  it.each([
    [['Documents'], 'Documents'],
    [['Documents', 'Local'], 'Documents and Local'],
    [['Documents', 'Local', 'DataStore'], 'Documents, Local and DataStore'],
  ])('lists %j as %s', (names, expected) => {
    // Act and Assess
    expect(listNames(names)).toBe(expected);
  });
});
