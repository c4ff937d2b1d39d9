/**
 * Where the heartbeat's ping URL comes from: the config (`{ "url": … }`) or an SSM parameter
 * (`{ "ssmParameter": … }`, read with decryption, so a SecureString works). A URL read from SSM
 * passes the same rules as one in the config. Errors name the parameter and the AWS error code,
 * never the value.
 */
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { awsErrorCode } from '../aws-error-code.ts';
import { HeartbeatUrlSchema, type HeartbeatConfig } from '../config.ts';

/**
 * The ping URL of this heartbeat config, as a value or as a function that reads it from SSM
 * (the {@link HeartbeatOptions.url} a `Heartbeat` takes). A URL read once is kept for the life
 * of the container; a failed read is tried again at the next ping.
 *
 * @param config - the config's `heartbeat`
 * @param ssm - the client that reads `{ ssmParameter }`
 * @example
 * const url = heartbeatUrl(config.heartbeat, new SSMClient({}));
 * const heartbeat = new Heartbeat({ url });
 */
export function heartbeatUrl(config: HeartbeatConfig, ssm: () => SSMClient): string | (() => Promise<string>) {
  if ('url' in config) return config.url;
  const name = config.ssmParameter;
  let read: string | undefined;
  return async () => {
    if (read !== undefined) return read;
    let value: string | undefined;
    try {
      const answer = await ssm().send(new GetParameterCommand({ Name: name, WithDecryption: true }));
      value = answer.Parameter?.Value;
    } catch (error) {
      throw new Error(`SSM parameter ${name}: ${awsErrorCode(error)}`, { cause: error });
    }
    const parsed = HeartbeatUrlSchema.safeParse(value?.trim() ?? '');
    if (!parsed.success) throw new Error(`SSM parameter ${name} does not hold a ping URL: ${parsed.error.issues[0]?.message ?? 'not a URL'}`);
    read = parsed.data;
    return read;
  };
}
