import { describe, expect, it } from 'vitest';
import { authorizationHeader, isRawApiKey } from '../../../functions/check/docspace/authorization.ts';

describe('authorizationHeader', () => {
  it.each([
    { apiKey: 'sk-0123abcd', scheme: undefined, header: 'Bearer sk-0123abcd' },
    { apiKey: 'sk-0123abcd', scheme: 'auto' as const, header: 'Bearer sk-0123abcd' },
    { apiKey: ' sk-0123abcd\n', scheme: 'auto' as const, header: 'Bearer sk-0123abcd' },
    { apiKey: 'ASC.session-token', scheme: 'auto' as const, header: 'ASC.session-token' },
    { apiKey: 'SK-upper', scheme: 'auto' as const, header: 'SK-upper' },
    { apiKey: 'ASC.session-token', scheme: 'bearer' as const, header: 'Bearer ASC.session-token' },
    { apiKey: 'sk-0123abcd', scheme: 'raw' as const, header: 'sk-0123abcd' },
  ])('sends $apiKey with scheme $scheme as "$header"', ({ apiKey, scheme, header }) => {
    // Act
    const value = authorizationHeader(apiKey, scheme);

    // Assess
    expect(value).toBe(header);
  });
});

describe('isRawApiKey', () => {
  it.each([
    { apiKey: 'sk-0123abcd', scheme: 'raw' as const, raw: true },
    { apiKey: 'sk-0123abcd', scheme: 'auto' as const, raw: false },
    { apiKey: 'session-token', scheme: 'raw' as const, raw: false },
  ])('says $raw for $apiKey with scheme $scheme', ({ apiKey, scheme, raw }) => {
    // Act
    const answer = isRawApiKey(apiKey, scheme);

    // Assess
    expect(answer).toBe(raw);
  });
});
