import { describe, expect, it } from 'vitest';
import { SilenceError } from '../../../functions/check/silences/errors.ts';
import {
  keptSilences,
  newSilenceId,
  silenceState,
  silencesInForce,
  withSilenceAdded,
  withSilenceExpired,
} from '../../../functions/check/silences/silence-rules.ts';
import { SILENCE_ID_PATTERN } from '../../../functions/check/silences/silence-schema.ts';
import { SILENCE_KEPT_AFTER_END_MS } from '../../../functions/check/silences/types.ts';
import { HOUR_MS, NOW, hoursFromNow, storedSilence } from './stored-silences.ts';

const WHERE = 'state file test.json';

describe('newSilenceId', () => {
  it('makes ids of "s-" and 8 hex digits that differ', () => {
    // Act
    const ids = Array.from({ length: 50 }, () => newSilenceId());

    // Assess
    for (const id of ids) expect(id).toMatch(SILENCE_ID_PATTERN);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('silenceState', () => {
  const until = hoursFromNow(3);

  it.each([
    ['active just before until', new Date(until.getTime() - 1), 'active'],
    ['ended exactly at until (until is exclusive)', until, 'ended'],
    ['ended just after until', new Date(until.getTime() + 1), 'ended'],
  ] as const)('is %s', (_, at, state) => {
    // Act
    const actual = silenceState(storedSilence({ until: until.toISOString() }), at);

    // Assess
    expect(actual).toBe(state);
  });

  it('is expired from the moment someone expired it early, and ended when it was expired only after its until', () => {
    // Prepare
    const early = storedSilence({ expiredAt: NOW.toISOString(), expiredBy: 'bob' });
    const late = storedSilence({ until: hoursFromNow(-2).toISOString(), expiredAt: hoursFromNow(-1).toISOString(), expiredBy: 'bob' });

    // Act
    const states = [silenceState(early, new Date(NOW.getTime() - 1)), silenceState(early, NOW), silenceState(late, NOW)];

    // Assess
    expect(states).toEqual(['active', 'expired', 'ended']);
  });
});

describe('silencesInForce', () => {
  it('gives the active silences as the notice policy weighs them, with their id and author, and leaves ended and expired ones out', () => {
    // Prepare
    const active = storedSilence();
    const everyCode = storedSilence({ id: 's-0000000b', codes: undefined, portal: 'beta' });
    const ended = storedSilence({ id: 's-0000000c', until: NOW.toISOString() });
    const expired = storedSilence({ id: 's-0000000d', expiredAt: hoursFromNow(-0.5).toISOString(), expiredBy: 'bob' });

    // Act
    const inForce = silencesInForce([active, everyCode, ended, expired], NOW);

    // Assess
    expect(inForce).toEqual([
      { portal: 'acme-prod', codes: ['BACKUP_OVERDUE'], until: active.until, reason: active.reason, id: 's-0000000a', createdBy: active.createdBy },
      { portal: 'beta', until: everyCode.until, reason: everyCode.reason, id: 's-0000000b', createdBy: everyCode.createdBy },
    ]);
  });
});

describe('keptSilences', () => {
  it.each([
    ['keeps a silence that ended just under 7 days ago', -SILENCE_KEPT_AFTER_END_MS + 1, true],
    ['drops a silence that ended exactly 7 days ago', -SILENCE_KEPT_AFTER_END_MS, false],
    ['drops a silence that ended more than 7 days ago', -SILENCE_KEPT_AFTER_END_MS - HOUR_MS, false],
    ['keeps a silence in force', HOUR_MS, true],
  ] as const)('%s', (_, endFromNow, kept) => {
    // Prepare
    const silence = storedSilence({ until: new Date(NOW.getTime() + endFromNow).toISOString(), createdAt: '2026-12-01T00:00:00.000Z' });

    // Act
    const actual = keptSilences([silence], NOW);

    // Assess
    expect(actual).toHaveLength(kept ? 1 : 0);
  });

  it('counts the 7 days from an early expiry, not from until', () => {
    // Prepare
    const silence = storedSilence({ until: '2027-02-01T00:00:00.000Z', expiredAt: new Date(NOW.getTime() - SILENCE_KEPT_AFTER_END_MS).toISOString(), expiredBy: 'bob' });

    // Act
    const actual = keptSilences([silence], NOW);

    // Assess
    expect(actual).toEqual([]);
  });
});

describe('withSilenceAdded', () => {
  it('adds the silence after the others and drops those ended over 7 days ago', () => {
    // Prepare
    const old = storedSilence({ id: 's-00000001', until: new Date(NOW.getTime() - SILENCE_KEPT_AFTER_END_MS - 1).toISOString() });
    const recent = storedSilence({ id: 's-00000002', until: hoursFromNow(-1).toISOString() });
    const added = storedSilence({ id: 's-00000003' });

    // Act
    const silences = withSilenceAdded([old, recent], added, NOW);

    // Assess
    expect(silences.map((silence) => silence.id)).toEqual(['s-00000002', 's-00000003']);
  });

  it('fails when a kept silence has the same id', () => {
    // Act
    const act = () => withSilenceAdded([storedSilence()], storedSilence({ reason: 'another' }), NOW);

    // Assess
    expect(act).toThrow(SilenceError);
    expect(act).toThrow('a silence with id s-0000000a exists already; add it again for a new id');
  });
});

describe('withSilenceExpired', () => {
  it('ends an active silence now, recording who, and keeps its until', () => {
    // Prepare
    const silence = storedSilence();

    // Act
    const { silences, silence: expired } = withSilenceExpired([silence], silence.id, 'bob', NOW, WHERE);

    // Assess
    expect(expired).toEqual({ ...silence, expiredAt: NOW.toISOString(), expiredBy: 'bob' });
    expect(silences).toEqual([expired]);
    expect(silenceState(expired, NOW)).toBe('expired');
  });

  it('leaves a silence that has already ended as it was', () => {
    // Prepare
    const ended = storedSilence({ until: hoursFromNow(-1).toISOString() });

    // Act
    const { silences, silence } = withSilenceExpired([ended], ended.id, 'bob', NOW, WHERE);

    // Assess
    expect(silence).toEqual(ended);
    expect(silences).toEqual([ended]);
  });

  it('fails naming the id and the store when no silence has it', () => {
    // Act
    const act = () => withSilenceExpired([storedSilence()], 's-ffffffff', 'bob', NOW, WHERE);

    // Assess
    expect(act).toThrow(new SilenceError('no silence s-ffffffff in state file test.json; "silence list" shows the ids (ended ones stay listed for 7 days)'));
  });
});
