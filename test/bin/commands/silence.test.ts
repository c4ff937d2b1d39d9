import { describe, expect, it } from 'vitest';
import { MAX_SILENCE_DAYS, parseCodes, parseDuration, parseInstant, silenceUntil } from '../../../bin/commands/silence.ts';
import { parsePortalName, parseReason } from '../../../bin/commands/command-errors.ts';
import { SilenceUsageError } from '../../../bin/commands/silence-target.ts';

const NOW = new Date('2027-01-05T07:00:00Z');
const MINUTE_MS = 60_000;

describe('parseDuration', () => {
  it.each([
    ['30m', 30 * MINUTE_MS],
    ['4h', 240 * MINUTE_MS],
    ['2d', 2 * 24 * 60 * MINUTE_MS],
    ['1d12h', 36 * 60 * MINUTE_MS],
    ['1h30m', 90 * MINUTE_MS],
  ])('reads %s', (text, ms) => {
    // Act
    const actual = parseDuration(text);

    // Assess
    expect(actual).toBe(ms);
  });

  it.each(['', '0h', '4', 'h', '4 hours', '1.5h', '-4h', '30m4h'])('fails for %j', (text) => {
    // Act
    const act = () => parseDuration(text);

    // Assess
    expect(act).toThrow(SilenceUsageError);
    expect(act).toThrow('--for must be a duration such as 30m, 4h, 2d or 1d12h');
  });
});

describe('parseInstant', () => {
  it('reads an instant with an offset', () => {
    // Act
    const instant = parseInstant('2027-01-31T01:00:00+01:00', '--until');

    // Assess
    expect(instant.toISOString()).toBe('2027-01-31T00:00:00.000Z');
  });

  it.each(['2027-01-31T00:00:00', '2027-02-30T00:00:00Z', '2027-01-31', 'tomorrow'])('fails for %j, naming the option', (text) => {
    // Act
    const act = () => parseInstant(text, '--until');

    // Assess
    expect(act).toThrow(`--until must be an ISO-8601 instant with a zone, such as 2027-01-31T00:00:00Z, got ${JSON.stringify(text)}`);
  });
});

describe('silenceUntil', () => {
  it('is now plus --for', () => {
    // Act
    const until = silenceUntil({ for: '4h' }, NOW);

    // Assess
    expect(until.toISOString()).toBe('2027-01-05T11:00:00.000Z');
  });

  it.each([
    ['neither --until nor --for', {}, 'say when the silence ends: give --until ISO-8601 or --for DURATION (one of them)'],
    ['both --until and --for', { until: '2027-01-06T00:00:00Z', for: '4h' }, 'say when the silence ends'],
    ['--until now', { until: NOW.toISOString() }, '--until must be in the future, got 2027-01-05T07:00:00.000Z (now is 2027-01-05T07:00:00.000Z)'],
    [`--for ${MAX_SILENCE_DAYS}d and a minute`, { for: `${MAX_SILENCE_DAYS}d1m` }, `a silence may run at most ${MAX_SILENCE_DAYS} days`],
  ])('fails for %s', (_, values, message) => {
    // Act
    const act = () => silenceUntil(values, NOW);

    // Assess
    expect(act).toThrow(message);
  });

  it(`allows exactly ${MAX_SILENCE_DAYS} days`, () => {
    // Act
    const until = silenceUntil({ for: `${MAX_SILENCE_DAYS}d` }, NOW);

    // Assess
    expect(until.getTime() - NOW.getTime()).toBe(MAX_SILENCE_DAYS * 24 * 60 * MINUTE_MS);
  });
});

describe('parseCodes', () => {
  it('takes codes in any case, each once', () => {
    // Act
    const codes = parseCodes(['backup_overdue', 'BACKUP_OVERDUE', 'Archive_Missing']);

    // Assess
    expect(codes).toEqual(['BACKUP_OVERDUE', 'ARCHIVE_MISSING']);
  });

  it('means every code when none is given', () => {
    // Act
    const codes = parseCodes(undefined);

    // Assess
    expect(codes).toBeUndefined();
  });

  it('fails for an unknown code, listing the known ones', () => {
    // Act
    const act = () => parseCodes(['BACKUP_LATE']);

    // Assess
    expect(act).toThrow(/^--code must be a finding code \(NO_SCHEDULE, BACKUP_OVERDUE, .*\), got "BACKUP_LATE"$/);
  });
});

describe('parsePortalName and parseReason', () => {
  it.each([
    [() => parsePortalName(undefined), '--portal NAME is required'],
    [() => parsePortalName('Acme!'), '--portal must be a portal name as in the config (1-64 lowercase letters, digits and "-"), got "Acme!"'],
    [() => parseReason(undefined), '--reason TEXT is required'],
    [() => parseReason('   '), '--reason TEXT is required'],
    [() => parseReason('x'.repeat(201)), '--reason must be at most 200 characters, got 201'],
  ])('fails with a message naming the option (%#)', (act, message) => {
    // Assess
    expect(act).toThrow(message);
  });

  it('keeps a valid name and a trimmed reason', () => {
    // Act
    const values = [parsePortalName('acme-prod'), parseReason('  moving storage ')];

    // Assess
    expect(values).toEqual(['acme-prod', 'moving storage']);
  });
});
