/**
 * The AWS error code of a failed SDK call (`AccessDeniedException`, `Throttling`…), never its
 * message: messages can quote request values. Query-protocol services (SNS) put the wire code in
 * `Code`; JSON-protocol services (SSM, DynamoDB) in `name`.
 */
export function awsErrorCode(error: unknown): string {
  if (typeof error !== 'object' || error === null) return 'UnknownError';
  const { name, code, Code, message } = error as { name?: unknown; code?: unknown; Code?: unknown; message?: unknown };
  for (const candidate of [Code, name !== 'Error' ? name : undefined, code]) {
    if (typeof candidate === 'string' && /^[A-Za-z0-9_.:-]{1,100}$/.test(candidate)) return candidate;
  }
  // The SDK's own set-up error carries no code, only this fixed text (no request values in it).
  if (message === 'Region is missing') return 'RegionMissing (set AWS_REGION)';
  return 'UnknownError';
}
