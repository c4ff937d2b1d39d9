/**
 * A local STS and CloudFormation speaking the real wire protocol (the AWS Query protocol over
 * HTTP on 127.0.0.1), for the `silence` and `ack` commands: `GetCallerIdentity` answers the
 * identity set here, `DescribeStacks` the stacks set here (or CloudFormation's ValidationError for
 * any other name). One server serves both (`AWS_ENDPOINT_URL_STS` and
 * `AWS_ENDPOINT_URL_CLOUDFORMATION` point at it); every request is recorded.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake received, decoded from the form body. */
export interface RecordedQueryRequest {
  readonly action: string;
  readonly form: Record<string, string>;
}

/** A running fake. */
export interface FakeIdentityAndStacks {
  /** `http://127.0.0.1:<port>`, for both services. */
  readonly endpoint: string;
  readonly requests: readonly RecordedQueryRequest[];
  /** The ARN `GetCallerIdentity` answers. */
  callerArn: string;
  /** Sets a stack's outputs, by key. */
  putStack(name: string, outputs: Readonly<Record<string, string>>): void;
  close(): Promise<void>;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const REQUEST_ID = '<ResponseMetadata><RequestId>7e3a1c9b-5d2f-4a60-9b3e-1f0a7c2d4e58</RequestId></ResponseMetadata>';

/**
 * Starts the fake on a free loopback port.
 *
 * @example
 * const aws = await startFakeIdentityAndStacks();
 * aws.putStack('DocSpaceBackupMonitor', { StateTableName: 'state-1' });
 * await runCli(['silence', 'list'], { env: { AWS_ENDPOINT_URL_STS: aws.endpoint, AWS_ENDPOINT_URL_CLOUDFORMATION: aws.endpoint } });
 */
export async function startFakeIdentityAndStacks(): Promise<FakeIdentityAndStacks> {
  const requests: RecordedQueryRequest[] = [];
  const stacks = new Map<string, Readonly<Record<string, string>>>();
  const fake = {
    callerArn: 'arn:aws:sts::123456789012:assumed-role/ops/alice',
  };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      const action = form.Action ?? '';
      requests.push({ action, form });
      response.setHeader('content-type', 'text/xml');
      if (action === 'GetCallerIdentity') {
        response.end(
          `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>${escapeXml(fake.callerArn)}</Arn><UserId>AROAFAKEFAKEFAKE:alice</UserId><Account>123456789012</Account></GetCallerIdentityResult>${REQUEST_ID}</GetCallerIdentityResponse>`,
        );
        return;
      }
      const outputs = action === 'DescribeStacks' ? stacks.get(form.StackName ?? '') : undefined;
      if (outputs === undefined) {
        response.statusCode = 400;
        const message = action === 'DescribeStacks' ? `Stack with id ${form.StackName ?? ''} does not exist` : `unknown action ${action}`;
        response.end(`<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>${escapeXml(message)}</Message></Error>${REQUEST_ID}</ErrorResponse>`);
        return;
      }
      const members = Object.entries(outputs)
        .map(([key, value]) => `<member><OutputKey>${escapeXml(key)}</OutputKey><OutputValue>${escapeXml(value)}</OutputValue></member>`)
        .join('');
      response.end(
        `<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult><Stacks><member><StackName>${escapeXml(form.StackName!)}</StackName><StackId>arn:aws:cloudformation:eu-central-1:123456789012:stack/${escapeXml(form.StackName!)}/1</StackId><CreationTime>2026-03-01T00:00:00Z</CreationTime><StackStatus>CREATE_COMPLETE</StackStatus><Outputs>${members}</Outputs></member></Stacks></DescribeStacksResult>${REQUEST_ID}</DescribeStacksResponse>`,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    putStack(name: string, outputs: Readonly<Record<string, string>>) {
      stacks.set(name, outputs);
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      });
    },
  });
}
