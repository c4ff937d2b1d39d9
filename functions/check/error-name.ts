/** The name of what was thrown (`TypeError`…), never its message; safe for any thrown value, `undefined` included. */
export function errorName(error: unknown): string {
  if (error instanceof Error) return error.name;
  return error === null ? 'null' : typeof error;
}
