/** Portal configs for the key reader tests, built by hand. */
import type { PortalConfig } from '../../../functions/check/config.ts';

/** A portal whose key is in an SSM parameter. */
export function ssmPortal(name: string, ssmParameter: string): PortalConfig {
  return { name, url: `https://${name}.onlyoffice.com/`, apiKey: { ssmParameter } };
}

/** A portal whose key is in an environment variable. */
export function envPortal(name: string, env: string): PortalConfig {
  return { name, url: `https://${name}.onlyoffice.com/`, apiKey: { env } };
}
