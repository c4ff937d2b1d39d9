/**
 * The spellings of a secret to look for in a decoded text (decoded-text.ts has already undone
 * JSON escapes, URL-encoding and zero-width characters): the secret itself, its form-encoded
 * spelling (`+` for a space), its JSON-escaped spelling, each also without white space (which
 * the decoded text drops), and the part of its base64 and base64url encodings that only the
 * secret's bytes decide, at each of the three alignments it can have inside a longer encoded
 * text. Pure.
 */

/** Where a secret's bytes can start inside a base64 group of three bytes. */
const ALIGNMENTS = [0, 1, 2] as const;

/**
 * The base64 characters of `secret` that do not depend on what comes before or after it, when
 * `offset` bytes of something else come first (in the same group of three).
 */
function base64Core(secret: Buffer, offset: number): string {
  const encoded = Buffer.concat([Buffer.alloc(offset), secret]).toString('base64');
  // Character i carries bits [6i, 6i + 6): keep those inside the secret's bits.
  const first = Math.ceil((8 * offset) / 6);
  const end = Math.floor((8 * (offset + secret.length)) / 6);
  return encoded.slice(first, end);
}

/**
 * Every spelling of a secret a decoded text can hold, each once.
 *
 * @param secret - the key, as sent (trimmed)
 * @example
 * secretForms('tok en+key/1=='); // ['tok en+key/1==', 'tok+en+key/1==', 'dG9rIGVu…', …]
 */
export function secretForms(secret: string): string[] {
  // The JSON-escaped spelling too: decoding cannot undo it for a secret that holds what looks
  // like a URL escape (`%41`), which the decoding would turn into another character first.
  const forms = new Set<string>([secret, secret.replace(/ /g, '+'), JSON.stringify(secret).slice(1, -1)]);
  // The decoded text has no white space: a secret with some is found without it too.
  for (const form of [...forms]) forms.add(form.replace(/[ \t\n\r]/g, ''));
  const bytes = Buffer.from(secret, 'utf8');
  for (const offset of ALIGNMENTS) {
    const core = base64Core(bytes, offset);
    forms.add(core);
    forms.add(core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...forms].filter((form) => form.length > 0);
}
