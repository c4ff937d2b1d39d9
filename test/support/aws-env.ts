/**
 * Points the real AWS SDK v3 clients at the local fakes through the environment, with fake
 * static credentials, and makes sure nothing can reach a real AWS endpoint: no profile, no
 * shared config or credentials files, no instance metadata, no container or web-identity
 * credentials. Restores the environment afterwards.
 */

/** Where the fakes listen. A service left out gets an endpoint that refuses connections. */
export interface FakeAwsEndpoints {
  /** For `AWS_ENDPOINT_URL_SSM`. */
  readonly ssm?: string;
  /** For `AWS_ENDPOINT_URL_SNS`. */
  readonly sns?: string;
  /** For `AWS_ENDPOINT_URL_S3`. */
  readonly s3?: string;
}

/** The region the fakes pretend to be in. */
export const FAKE_AWS_REGION = 'eu-central-1';

/** A loopback port nothing listens on (the discard port), for services without a fake. */
const NOWHERE = 'http://127.0.0.1:9';

/** Variables that could lead the SDK to a real account or endpoint; all are removed or replaced. */
const CONTROLLED = [
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_SSM',
  'AWS_ENDPOINT_URL_SNS',
  'AWS_ENDPOINT_URL_S3',
  'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS',
  'AWS_USE_FIPS_ENDPOINT',
  'AWS_USE_DUALSTACK_ENDPOINT',
  'AWS_EC2_METADATA_DISABLED',
  'AWS_EC2_METADATA_SERVICE_ENDPOINT',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
  'AWS_ROLE_SESSION_NAME',
  'AWS_MAX_ATTEMPTS',
  'AWS_RETRY_MODE',
  'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED',
] as const;

function assertLoopback(endpoint: string): void {
  const { hostname, protocol } = new URL(endpoint);
  if (protocol !== 'http:' || (hostname !== '127.0.0.1' && hostname !== 'localhost'))
    throw new Error(`fake AWS endpoints must be http on loopback, got ${endpoint}`);
}

/**
 * Sets the environment so that SDK clients built from now on talk to the fakes; returns a
 * function that puts the environment back as it was.
 *
 * @example
 * const restore = useFakeAwsEnvironment({ ssm: ssm.endpoint, sns: sns.endpoint });
 * afterAll(restore);
 */
export function useFakeAwsEnvironment(endpoints: FakeAwsEndpoints): () => void {
  const saved = new Map(CONTROLLED.map((name) => [name, process.env[name]]));
  for (const name of CONTROLLED) delete process.env[name];

  const ssm = endpoints.ssm ?? NOWHERE;
  const sns = endpoints.sns ?? NOWHERE;
  const s3 = endpoints.s3 ?? NOWHERE;
  for (const endpoint of [ssm, sns, s3]) assertLoopback(endpoint);
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_SSM: ssm,
    AWS_ENDPOINT_URL_SNS: sns,
    AWS_ENDPOINT_URL_S3: s3,
    // Anything without its own fake (STS, say) would go nowhere instead of to AWS.
    AWS_ENDPOINT_URL: NOWHERE,
    AWS_ACCESS_KEY_ID: 'AKIAFAKEFAKEFAKEFAKE',
    AWS_SECRET_ACCESS_KEY: 'fake-secret-access-key-for-local-tests-only',
    AWS_REGION: FAKE_AWS_REGION,
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });

  return () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

/**
 * The environment of a child process (the CLI as an operator runs it) that talks to local fakes:
 * the given `AWS_ENDPOINT_URL_<SERVICE>` variables, nowhere for every other service, fake static
 * credentials, and no profile, session token, shared files or instance metadata.
 *
 * @param endpoints - e.g. `{ AWS_ENDPOINT_URL_S3: s3.endpoint }`; each must be on loopback
 */
export function fakeAwsChildEnvironment(endpoints: Readonly<Record<`AWS_ENDPOINT_URL_${string}`, string>>): Record<string, string | undefined> {
  for (const endpoint of Object.values(endpoints)) assertLoopback(endpoint);
  return {
    ...endpoints,
    AWS_ENDPOINT_URL: NOWHERE,
    AWS_REGION: FAKE_AWS_REGION,
    AWS_ACCESS_KEY_ID: 'AKIAFAKEFAKEFAKEFAKE',
    AWS_SECRET_ACCESS_KEY: 'fake-secret-access-key-for-local-tests-only',
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}
