/**
 * A local SSM Parameter Store speaking the real wire protocol (AWS JSON 1.1 over HTTP on
 * 127.0.0.1), so tests drive the real SDK client. Knows `GetParameter` and `GetParameters`,
 * answers and fails the way SSM does, and records every request.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { registerCanary } from './canary.ts';

/** An SSM error as it goes over the wire: `__type`, message and HTTP status. */
export interface SsmError {
  readonly type: string;
  readonly message: string;
  readonly status: number;
}

/** Errors SSM really returns, ready to inject. */
export const SsmErrors = {
  parameterNotFound: { type: 'ParameterNotFound', message: 'Parameter not found.', status: 400 },
  accessDenied: {
    type: 'AccessDeniedException',
    message:
      'User: arn:aws:sts::123456789012:assumed-role/monitor/check is not authorized to perform: ssm:GetParameters on resource: arn:aws:ssm:eu-central-1:123456789012:parameter/docspace because no identity-based policy allows the ssm:GetParameters action',
    status: 400,
  },
  throttling: { type: 'ThrottlingException', message: 'Rate exceeded', status: 400 },
  /** What SSM answers when the caller may not use the parameter's KMS key to decrypt. */
  kmsAccessDenied: {
    type: 'AccessDeniedException',
    message:
      'The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access. (Service: AWSKMS; Status Code: 400; Error Code: AccessDeniedException)',
    status: 400,
  },
  /** The parameter's KMS key is disabled, deleted or not valid. */
  invalidKeyId: { type: 'InvalidKeyId', message: 'The query key ID is not valid.', status: 400 },
  internalServerError: { type: 'InternalServerError', message: 'An internal error occurred.', status: 500 },
} as const satisfies Record<string, SsmError>;

/** One request the fake received. */
export interface RecordedSsmRequest {
  /** `GetParameter` or `GetParameters` (the `x-amz-target` without `AmazonSSM.`). */
  readonly operation: string;
  readonly body: Record<string, unknown>;
  readonly headers: IncomingHttpHeaders;
}

interface StoredParameter {
  readonly value: string;
  readonly type: 'SecureString' | 'String';
  readonly version: number;
}

interface Failure {
  readonly error: SsmError;
  remaining: number;
  readonly operation?: string;
  readonly name?: string;
}

/** A running fake SSM. */
export interface FakeSsm {
  /** `http://127.0.0.1:<port>`, for `AWS_ENDPOINT_URL_SSM` or a client's `endpoint`. */
  readonly endpoint: string;
  /** Every request received, in order (failed ones too). */
  readonly requests: RecordedSsmRequest[];
  /** Stores a parameter (a SecureString unless told otherwise). */
  putParameter(name: string, value: string, type?: 'SecureString' | 'String'): void;
  /**
   * Fails every call that asks for `name` (a `GetParameters` call fails as a whole, as it does
   * when one parameter's KMS key is not usable), `times` times or for ever.
   */
  failParameter(name: string, error: SsmError, options?: { readonly times?: number; readonly operation?: 'GetParameter' | 'GetParameters' }): void;
  /**
   * Never answers the calls of one operation (or any), or those naming one parameter, from now
   * on: each is recorded and held open until the fake is closed, as an SSM endpoint that hangs.
   */
  hangCalls(options?: { readonly operation?: 'GetParameter' | 'GetParameters'; readonly name?: string }): void;
  /** Fails the next calls of one operation (or any), `times` times or for ever. */
  failCalls(error: SsmError, options?: { readonly times?: number; readonly operation?: 'GetParameter' | 'GetParameters' }): void;
  /** The calls received for one operation. */
  callsOf(operation: 'GetParameter' | 'GetParameters'): RecordedSsmRequest[];
  close(): Promise<void>;
}

const ACCOUNT = '123456789012';
const REGION = 'eu-central-1';

function arnOf(name: string): string {
  return `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter${name.startsWith('/') ? '' : '/'}${name}`;
}

/**
 * Starts a fake SSM on a random loopback port.
 *
 * @example
 * const ssm = await startFakeSsm();
 * ssm.putParameter('/docspace/acme/api-key', 'sk-test');
 */
export async function startFakeSsm(): Promise<FakeSsm> {
  const parameters = new Map<string, StoredParameter>();
  const failures: Failure[] = [];
  const requests: RecordedSsmRequest[] = [];
  const hanging: { readonly operation?: string; readonly name?: string }[] = [];

  function takeFailure(operation: string, names: readonly string[]): SsmError | undefined {
    const failure = failures.find(
      (candidate) =>
        candidate.remaining > 0 &&
        (candidate.operation === undefined || candidate.operation === operation) &&
        (candidate.name === undefined || names.includes(candidate.name)),
    );
    if (failure === undefined) return undefined;
    failure.remaining -= 1;
    return failure.error;
  }

  function describe(name: string) {
    const stored = parameters.get(name);
    if (stored === undefined) return undefined;
    return {
      Name: name,
      Type: stored.type,
      Value: stored.value,
      Version: stored.version,
      ARN: arnOf(name),
      DataType: 'text',
      LastModifiedDate: 1772323200,
    };
  }

  function answer(operation: string, body: Record<string, unknown>): { status: number; payload: unknown } {
    if (operation === 'GetParameter') {
      const name = typeof body.Name === 'string' ? body.Name : '';
      const failure = takeFailure(operation, [name]);
      if (failure) return { status: failure.status, payload: { __type: failure.type, message: failure.message } };
      const parameter = describe(name);
      if (parameter === undefined) return { status: 400, payload: { __type: 'ParameterNotFound', message: 'Parameter not found.' } };
      return { status: 200, payload: { Parameter: parameter } };
    }
    if (operation === 'GetParameters') {
      const names = Array.isArray(body.Names) ? body.Names.filter((name): name is string => typeof name === 'string') : [];
      if (names.length < 1 || names.length > 10)
        return {
          status: 400,
          payload: {
            __type: 'ValidationException',
            message: `1 validation error detected: Value at 'names' failed to satisfy constraint: Member must have length less than or equal to 10`,
          },
        };
      const failure = takeFailure(operation, names);
      if (failure) return { status: failure.status, payload: { __type: failure.type, message: failure.message } };
      const unique = [...new Set(names)];
      return {
        status: 200,
        payload: {
          Parameters: unique.flatMap((name) => describe(name) ?? []),
          InvalidParameters: unique.filter((name) => !parameters.has(name)),
        },
      };
    }
    return { status: 400, payload: { __type: 'UnknownOperationException', message: `unknown operation ${operation}` } };
  }

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const target = String(request.headers['x-amz-target'] ?? '');
      const operation = target.replace(/^AmazonSSM\./, '');
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        body = {};
      }
      requests.push({ operation, body, headers: request.headers });
      // A hanging endpoint: the request stays open until the client gives up or the fake closes.
      const names = [body.Name, ...(Array.isArray(body.Names) ? body.Names : [])];
      if (hanging.some((hung) => (hung.operation === undefined || hung.operation === operation) && (hung.name === undefined || names.includes(hung.name)))) return;
      const { status, payload } =
        request.method === 'POST' && request.url === '/' && target.startsWith('AmazonSSM.')
          ? answer(operation, body)
          : { status: 400, payload: { __type: 'UnknownOperationException', message: 'not an SSM request' } };
      const text = JSON.stringify(payload);
      response.writeHead(status, {
        'content-type': 'application/x-amz-json-1.1',
        'content-length': Buffer.byteLength(text),
        'x-amzn-requestid': randomUUID(),
      });
      response.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    putParameter(name, value, type = 'SecureString') {
      // A stored key is a secret: the suite's canary guard looks for it in all output.
      if (type === 'SecureString') registerCanary(value);
      parameters.set(name, { value, type, version: (parameters.get(name)?.version ?? 0) + 1 });
    },
    failParameter(name, error, options = {}) {
      failures.push({ error, name, operation: options.operation, remaining: options.times ?? Number.POSITIVE_INFINITY });
    },
    hangCalls(options = {}) {
      hanging.push(options);
    },
    failCalls(error, options = {}) {
      failures.push({ error, operation: options.operation, remaining: options.times ?? Number.POSITIVE_INFINITY });
    },
    callsOf(operation) {
      return requests.filter((request) => request.operation === operation);
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      });
    },
  };
}
