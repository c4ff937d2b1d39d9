/**
 * The failures a DocSpace request can end in, as `EvidenceFailure`s whose `detail` is safe to
 * show: it names the endpoint, the HTTP status and what to do, and quotes at most DocSpace's
 * sanitized `error.message`. Never the body, a stack trace, the key or the Authorization header.
 */
import type { z } from 'zod/mini';
import { sanitizePortalText } from '../text/portal-text.ts';
import { CheckFailedCause, type EvidenceFailure } from './evidence.ts';

/** What the client reads from a portal; an `EvidenceSource` of the verdict. */
export type DocSpaceSource = 'schedule' | 'progress' | 'history' | 'settings';

/** How long a portal message (DocSpace's `error.message`) may be in a detail, in characters. */
export const MAX_PORTAL_MESSAGE_LENGTH = 200;

/** How many schema problems a `BAD_RESPONSE` detail lists. */
const MAX_LISTED_ISSUES = 3;

/** Which request failed, for the detail: the evidence source and the endpoint ops know. */
export interface RequestContext {
  readonly source: DocSpaceSource;
  /** The endpoint's last path segment, as ops know it: `getbackupschedule`, `settings`. */
  readonly endpoint: string;
}

/** How a transport error (no HTTP status) is classified. */
export interface TransportProblem {
  readonly kind: 'connect-timeout' | 'headers-timeout' | 'body-timeout' | 'too-large' | 'aborted' | 'tls' | 'network';
  /** The error code (`ECONNREFUSED`, `UND_ERR_SOCKET`), when there is one. */
  readonly code?: string;
  /** True when another attempt may succeed (a refused or reset connection, a connect timeout). */
  readonly retryable: boolean;
}

/** Network error codes worth another attempt. */
const RETRYABLE_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** What ops read for a network error code. */
const NETWORK_WORDS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed while sending',
  ENOTFOUND: 'host name not found (DNS)',
  EAI_AGAIN: 'host name lookup failed (DNS)',
  ETIMEDOUT: 'connection timed out',
  ENETUNREACH: 'network unreachable',
  EHOSTUNREACH: 'host unreachable',
  UND_ERR_SOCKET: 'connection closed by the server',
  UND_ERR_CLOSED: 'connection closed',
};

/** What ops read for a TLS error code (Node's and OpenSSL's names); any other `ERR_SSL_…` or `ERR_TLS_…` is a failed handshake. */
const TLS_WORDS: Readonly<Record<string, string>> = {
  CERT_HAS_EXPIRED: 'the certificate has expired',
  CERT_NOT_YET_VALID: 'the certificate is not valid yet (check the clocks)',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'the certificate chain is self-signed',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the certificate does not name this host',
  HOSTNAME_MISMATCH: 'the certificate does not name this host',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the certificate is not trusted (unknown issuer or incomplete chain)',
  UNABLE_TO_GET_ISSUER_CERT: 'the certificate is not trusted (unknown issuer or incomplete chain)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the certificate is not trusted (unknown issuer or incomplete chain)',
  CERT_UNTRUSTED: 'the certificate is not trusted',
  CERT_REJECTED: 'the certificate is not trusted',
  CERT_SIGNATURE_FAILURE: 'the certificate signature is invalid',
  CERT_REVOKED: 'the certificate is revoked',
  INVALID_CA: 'the certificate is not trusted (invalid issuer)',
  CERT_CHAIN_TOO_LONG: 'the certificate chain is too long',
};

function isTlsCode(code: string): boolean {
  return code in TLS_WORDS || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_');
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Classifies an error thrown by undici (or Node's socket layer), following `cause` links: a
 * socket error often wraps the `ECONNRESET` that explains it.
 *
 * @param error - what `request()` or reading the body threw
 */
export function classifyTransportError(error: unknown): TransportProblem {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== null && typeof current === 'object'; depth += 1) {
    const code = errorCode(current);
    if (code !== undefined) codes.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  if (codes.includes('UND_ERR_HEADERS_TIMEOUT')) return { kind: 'headers-timeout', code: 'UND_ERR_HEADERS_TIMEOUT', retryable: false };
  if (codes.includes('UND_ERR_BODY_TIMEOUT')) return { kind: 'body-timeout', code: 'UND_ERR_BODY_TIMEOUT', retryable: false };
  if (codes.includes('UND_ERR_RES_EXCEEDED_MAX_SIZE')) return { kind: 'too-large', code: 'UND_ERR_RES_EXCEEDED_MAX_SIZE', retryable: false };
  if (codes.includes('UND_ERR_CONNECT_TIMEOUT')) return { kind: 'connect-timeout', code: 'UND_ERR_CONNECT_TIMEOUT', retryable: true };
  // A certificate or handshake a person must fix: another attempt meets the same certificate.
  const tlsCode = codes.find(isTlsCode);
  if (tlsCode !== undefined) return { kind: 'tls', code: tlsCode, retryable: false };
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'AbortError' || name === 'TimeoutError' || codes.includes('UND_ERR_ABORTED') || codes.includes('ABORT_ERR'))
    return { kind: 'aborted', retryable: false };
  // The innermost known code explains best: ECONNRESET rather than the UND_ERR_SOCKET around it.
  const code = [...codes].reverse().find((candidate) => candidate in NETWORK_WORDS) ?? codes[0];
  return { kind: 'network', code, retryable: codes.some((candidate) => RETRYABLE_CODES.has(candidate)) };
}

function attemptsText(attempts: number): string {
  return attempts > 1 ? ` after ${attempts} attempts` : '';
}

/** Sizes for people: `1 MiB`, `64 KiB`, `100 bytes`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/** Durations for people: `10 s`, `250 ms`. */
export function formatMillis(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms} ms`;
}

/**
 * DocSpace's `error.message` from an error body (`{ "error": { "message", "stack", … } }`),
 * sanitized and truncated; `undefined` when the body is not DocSpace error JSON. The `stack`
 * is never read.
 *
 * @param bodyText - the response body, possibly empty or not JSON
 * @param redact - removes secrets from the decoded message, before it is cleaned and cut
 */
export function docspaceErrorMessage(bodyText: string, redact: (message: string) => string = (message) => message): string | undefined {
  if (!bodyText.trimStart().startsWith('{')) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return undefined;
  }
  const error = (body as { error?: unknown } | null)?.error;
  const message = (error as { message?: unknown } | null | undefined)?.message;
  if (typeof message !== 'string') return undefined;
  const clean = sanitizePortalText(redact(message), MAX_PORTAL_MESSAGE_LENGTH);
  return clean === '' ? undefined : clean;
}

function portalSays(bodyText: string, redact?: (message: string) => string): string {
  const message = docspaceErrorMessage(bodyText, redact);
  return message === undefined ? '' : ` (DocSpace says: "${message}")`;
}

/** What an HTTP status means for a DocSpace request, in the words of the cause. */
export interface StatusFailureInput extends RequestContext {
  readonly status: number;
  /** The (size-capped) body of the error response, `''` when unread. Only `error.message` is used. */
  readonly bodyText: string;
  readonly attempts: number;
  /** True when an `sk-` key was sent raw (scheme `raw`): DocSpace answers that with 401. */
  readonly rawApiKey?: boolean;
  /**
   * Removes secrets from DocSpace's decoded `error.message` before it is quoted.
   *
   * @default - nothing is removed
   */
  readonly redact?: (message: string) => string;
}

/**
 * The failure for a non-2xx answer. Branches on the status only; the body adds at most DocSpace's
 * sanitized `error.message` (403, 5xx and other 4xx).
 *
 * @param input - the endpoint, status, body and attempts
 */
export function statusFailure(input: StatusFailureInput): EvidenceFailure {
  const { source, endpoint, status, bodyText, attempts } = input;
  const from = `HTTP ${status} from ${endpoint}`;
  const fail = (cause: CheckFailedCause, detail: string): EvidenceFailure => ({ cause, source, detail, httpStatus: status });
  switch (true) {
    case status === 401:
      return fail(
        CheckFailedCause.AUTH_REJECTED,
        `${from}: the API key was rejected (revoked, expired or mistyped)` +
          (input.rawApiKey ? '; it was sent raw (scheme "raw"), but DocSpace API keys (sk-…) need scheme "auto" or "bearer"' : ''),
      );
    case status === 402:
      return fail(
        CheckFailedCause.PAYMENT_REQUIRED,
        `${from}: payment required: the portal's subscription is unpaid, and DocSpace skips scheduled backups until it is paid`,
      );
    case status === 403:
      return fail(
        CheckFailedCause.FORBIDDEN,
        `${from}: access denied: the key's user must be the portal owner or a DocSpace admin and the key needs the *:read permission ` +
          `(or the portal is being restored or migrated, or an IP restriction blocks this monitor)${portalSays(bodyText, input.redact)}`,
      );
    case status === 404:
      return fail(
        CheckFailedCause.PORTAL_NOT_FOUND,
        source === 'schedule' || source === 'settings'
          ? `${from}: not found: the portal is unknown, suspended or pending removal, or the configured URL is not the portal's address`
          : `${from}: not found: this DocSpace version may not offer ${endpoint}, or the portal was removed since its schedule was read`,
      );
    case status === 429:
      return fail(CheckFailedCause.RATE_LIMITED, `${from}${attemptsText(attempts)}: rate limited by the portal`);
    case status >= 500:
      return fail(CheckFailedCause.SERVER_ERROR, `${from}${attemptsText(attempts)}: server error${portalSays(bodyText, input.redact)}`);
    default:
      return fail(CheckFailedCause.BAD_RESPONSE, `${from}: unexpected answer${portalSays(bodyText, input.redact)}`);
  }
}

/**
 * The failure for a 429 whose `Retry-After` asks for a longer wait than the check allows.
 *
 * @param context - the endpoint
 * @param waitMs - what the portal asked for
 * @param capMs - the longest wait the client accepts
 */
export function rateLimitedBeyondCap(context: RequestContext, waitMs: number, capMs: number): EvidenceFailure {
  return {
    cause: CheckFailedCause.RATE_LIMITED,
    source: context.source,
    httpStatus: 429,
    detail: `HTTP 429 from ${context.endpoint}: rate limited; the portal asks to retry after ${formatMillis(waitMs)}, longer than the ${formatMillis(capMs)} this check waits`,
  };
}

/** The limits a transport failure's detail quotes. */
export interface TransportLimits {
  readonly connectTimeoutMs: number;
  readonly headersTimeoutMs: number;
  readonly bodyTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly maxResponseBytes: number;
}

/**
 * The failure for a request that got no usable HTTP answer.
 *
 * @param context - the endpoint
 * @param problem - the classified error
 * @param limits - the timeouts and size cap in force, quoted in the detail
 * @param attempts - how many attempts were made
 * @param callerAborted - true when the caller's own signal (the run's deadline) ended the request
 */
export function transportFailure(
  context: RequestContext,
  problem: TransportProblem,
  limits: TransportLimits,
  attempts: number,
  callerAborted = false,
): EvidenceFailure {
  const { source, endpoint } = context;
  switch (problem.kind) {
    case 'headers-timeout':
      return { cause: CheckFailedCause.TIMEOUT, source, detail: `${endpoint}: no answer within ${formatMillis(limits.headersTimeoutMs)}` };
    case 'body-timeout':
      return {
        cause: CheckFailedCause.TIMEOUT,
        source,
        detail: `${endpoint}: the answer stalled (no data for ${formatMillis(limits.bodyTimeoutMs)})`,
      };
    case 'aborted':
      return {
        cause: CheckFailedCause.TIMEOUT,
        source,
        detail: callerAborted
          ? `${endpoint}: stopped at the check's deadline before the portal answered`
          : `${endpoint}: no complete answer within ${formatMillis(limits.requestTimeoutMs)}`,
      };
    case 'too-large':
      return tooLarge(context, limits.maxResponseBytes);
    case 'tls': {
      const code = problem.code ?? 'TLS';
      const words = TLS_WORDS[code] ?? 'the TLS handshake failed';
      return {
        cause: CheckFailedCause.TLS_FAILED,
        source,
        detail: `${endpoint}: TLS failed: ${words} (${sanitizePortalText(code, 60)}); the API key was not sent: fix the portal's certificate, or the URL if it names the wrong host or port`,
      };
    }
    case 'connect-timeout':
      return {
        cause: CheckFailedCause.NETWORK,
        source,
        detail: `${endpoint}: could not connect within ${formatMillis(limits.connectTimeoutMs)}${attemptsText(attempts)}`,
      };
    default: {
      const words = problem.code === undefined ? 'network error' : (NETWORK_WORDS[problem.code] ?? 'network error');
      const code = problem.code === undefined ? '' : ` (${sanitizePortalText(problem.code, 40)})`;
      return { cause: CheckFailedCause.NETWORK, source, detail: `${endpoint}: ${words}${code}${attemptsText(attempts)}` };
    }
  }
}

/**
 * The failure for a key that cannot go into an HTTP header: nothing is sent.
 *
 * @param context - the endpoint that was not asked
 * @param problem - why, in words that never quote the key ({@link apiKeyProblem})
 */
export function invalidKey(context: RequestContext, problem: string): EvidenceFailure {
  return {
    cause: CheckFailedCause.API_KEY_INVALID,
    source: 'apiKey',
    detail: `${context.endpoint} not asked: the stored API key cannot be sent in an HTTP header: ${problem}`,
  };
}

/**
 * The failure for a body over the size cap.
 *
 * @param context - the endpoint
 * @param maxResponseBytes - the cap
 */
export function tooLarge(context: RequestContext, maxResponseBytes: number): EvidenceFailure {
  return {
    cause: CheckFailedCause.BAD_RESPONSE,
    source: context.source,
    detail: `${context.endpoint}: body larger than ${formatBytes(maxResponseBytes)}`,
  };
}

/**
 * The failure for a 2xx answer that is not what DocSpace sends. `problem` is written by this
 * module's callers, never copied from the body.
 *
 * @param context - the endpoint
 * @param status - the HTTP status
 * @param problem - what is wrong, e.g. `the body is not JSON (content-type text/html)`
 */
export function badBody(context: RequestContext, status: number, problem: string): EvidenceFailure {
  return {
    cause: CheckFailedCause.BAD_RESPONSE,
    source: context.source,
    httpStatus: status,
    detail: `HTTP ${status} from ${context.endpoint}: ${problem}`,
  };
}

type Issue = z.core.$ZodIssue;

function issuePath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? String(segment) : `.${String(segment)}`;
  }
  return text === '' ? 'response' : text;
}

function expectedTypes(issue: Issue): string[] {
  if (issue.code === 'invalid_type') return [typeWords(issue.expected)];
  if (issue.code === 'invalid_union') return issue.errors.flatMap((branch) => branch.filter((inner) => inner.path.length === 0).flatMap(expectedTypes));
  return [];
}

function typeWords(expected: string): string {
  return expected === 'int' ? 'whole number' : expected;
}

function issueProblem(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${typeWords(issue.expected)}`;
    case 'invalid_union': {
      const types = [...new Set(expectedTypes(issue))];
      return types.length > 0 ? `expected ${types.join(' or ')}` : 'does not match any accepted shape';
    }
    case 'too_big':
      return `must be at most ${String(issue.maximum)}`;
    case 'too_small':
      return `must be at least ${String(issue.minimum)}`;
    case 'invalid_value':
      return 'not an accepted value';
    case 'custom':
      // Our own schema messages; they may quote a short piece of the portal's value.
      return sanitizePortalText(issue.message, 80) || 'invalid';
    default:
      return issue.code.replace(/_/g, ' ');
  }
}

/**
 * A short, safe summary of zod issues that names each member path, e.g.
 * `cronParams.hour: expected number; lastBackupTime: not a timestamp: "yesterday"`.
 *
 * @param issues - the issues of a failed `safeParse`
 */
export function describeSchemaIssues(issues: readonly Issue[]): string {
  const listed = issues.slice(0, MAX_LISTED_ISSUES).map((issue) => `${issuePath(issue.path)}: ${issueProblem(issue)}`);
  const more = issues.length > MAX_LISTED_ISSUES ? `; and ${issues.length - MAX_LISTED_ISSUES} more` : '';
  return `${listed.join('; ')}${more}`;
}
