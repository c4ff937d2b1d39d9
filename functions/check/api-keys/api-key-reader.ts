/**
 * The API key reader contract. Keys are read for many portals at once so that SSM can be asked
 * in batches. A failure names the parameter or variable, never a value.
 */
import type { PortalConfig } from '../config.ts';

/** A portal's key, or why it could not be read (`detail` is safe to show). */
export type ApiKeyResult = { readonly ok: true; readonly key: string } | { readonly ok: false; readonly detail: string };

/** Reads portals' API keys. */
export interface ApiKeyReader {
  /** Reads the keys of these portals; the map has one entry per portal name. Never throws. */
  readKeys(portals: readonly PortalConfig[]): Promise<Map<string, ApiKeyResult>>;
}
