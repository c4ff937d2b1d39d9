/**
 * What reading a portal's evidence can end in: the value, or a failure with its cause. The
 * client produces these; the verdict (policy/) reads them and re-exports them as its vocabulary.
 */

/** Why a portal (or part of its evidence) could not be evaluated. */
export const CheckFailedCause = {
  AUTH_REJECTED: 'AUTH_REJECTED',
  PAYMENT_REQUIRED: 'PAYMENT_REQUIRED',
  FORBIDDEN: 'FORBIDDEN',
  PORTAL_NOT_FOUND: 'PORTAL_NOT_FOUND',
  RATE_LIMITED: 'RATE_LIMITED',
  SERVER_ERROR: 'SERVER_ERROR',
  TIMEOUT: 'TIMEOUT',
  NETWORK: 'NETWORK',
  BAD_RESPONSE: 'BAD_RESPONSE',
  API_KEY_UNAVAILABLE: 'API_KEY_UNAVAILABLE',
  /** The key cannot go into an HTTP header (whitespace, control or non-ASCII characters, the README's placeholder): nothing was sent. */
  API_KEY_INVALID: 'API_KEY_INVALID',
  /** The TLS handshake failed (expired, self-signed or untrusted certificate, wrong host): a person must fix it. */
  TLS_FAILED: 'TLS_FAILED',
} as const;
export type CheckFailedCause = (typeof CheckFailedCause)[keyof typeof CheckFailedCause];

/** What a piece of evidence is, so a `CHECK_FAILED` finding can say what is missing. */
export type EvidenceSource = 'apiKey' | 'settings' | 'schedule' | 'progress' | 'history';

/**
 * Why a piece of evidence could not be read. `detail` is safe to show: it never holds the
 * API key, the Authorization header or a server stack trace.
 */
export interface EvidenceFailure {
  readonly cause: CheckFailedCause;
  readonly source: EvidenceSource;
  readonly detail: string;
  /** The HTTP status, when there was one. */
  readonly httpStatus?: number;
}

/**
 * What the evidence held that could not be used, though it did not stop the judgment: shown in
 * the report so that nothing is dropped silently. Texts are safe to show.
 */
export interface EvidenceNotes {
  /** History records skipped because they have no usable `createdOn` (absent, unreadable, year 0001). */
  readonly skippedHistoryRecords?: number;
  /** Schedule members that were odd and ignored, e.g. `backupsStored: expected a whole number 0 or more, got "seven"`. */
  readonly ignoredMembers?: readonly string[];
}

/** A piece of evidence: read, or the reason it could not be. */
export type Fetched<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly failure: EvidenceFailure };
