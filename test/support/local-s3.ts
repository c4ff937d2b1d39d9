/**
 * A local S3 for tests: s3rver on 127.0.0.1 (objects in a temporary folder), driven through the
 * real SDK client. Path-style addressing follows from the IP endpoint. s3rver checks neither
 * SigV4 signatures nor payload checksums, but it does check the access key (the test's fake
 * ones are registered) and the request's time, so a process with a shifted clock needs this
 * process's clock shifted the same way.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
// @ts-expect-error -- s3rver ships no type declarations; what is used is typed below
import S3rverModule from 's3rver';
import { FAKE_AWS_REGION } from './aws-env.ts';

/** The fake access keys the tests sign with: s3rver refuses keys it does not know. */
export const LOCAL_S3_ACCESS_KEYS = ['S3RVER', 'ASIAFAKEFAKEFAKEFAKE', 'AKIAFAKEFAKEFAKEFAKE'] as const;

interface S3rverServer {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}
const S3rver = S3rverModule as new (options: { port: number; address: string; silent: boolean; directory: string }) => S3rverServer;

interface S3rverAccountModel {
  readonly DUMMY_ACCOUNT: { createKeyPair(accessKeyId: string, secretAccessKey: string): void };
}

/** A running s3rver and a client pointed at it. */
export interface LocalS3 {
  /** `http://127.0.0.1:<port>`, for `AWS_ENDPOINT_URL_S3`. */
  readonly endpoint: string;
  readonly client: S3Client;
  /** Creates a bucket; returns its name. */
  createBucket(name: string): Promise<string>;
  /** Stops the server and deletes its objects. */
  close(): Promise<void>;
}

/** Starts s3rver on a free loopback port with an empty store. */
export async function startLocalS3(): Promise<LocalS3> {
  const accounts = createRequire(import.meta.url)('s3rver/lib/models/account.js') as S3rverAccountModel;
  for (const accessKeyId of LOCAL_S3_ACCESS_KEYS) accounts.DUMMY_ACCOUNT.createKeyPair(accessKeyId, 'fake-secret');
  const directory = mkdtempSync(join(tmpdir(), 'local-s3-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({ region: FAKE_AWS_REGION, endpoint, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  return {
    endpoint,
    client,
    async createBucket(name) {
      await client.send(new CreateBucketCommand({ Bucket: name }));
      return name;
    },
    async close() {
      client.destroy();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
