/**
 * The archive in the stack's S3 bucket: one object per run, encrypted with the bucket's KMS key
 * (the bucket's default; sent explicitly too, so a bucket without it refuses nothing silently).
 */
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { AWS_REQUEST_HANDLER_TIMEOUTS } from '../aws-client-timeouts.ts';
import { awsErrorCode } from '../aws-error-code.ts';
import { MAX_REPORT_FILE_BYTES } from './folder-report-archive.ts';
import { ReportArchiveError, type ReportArchive, type ReportSource } from './report-archive.ts';

/** Options for {@link S3ReportArchive}. */
export interface S3ReportArchiveOptions {
  /** The bucket's name. */
  readonly bucket: string;
  /**
   * An S3 client to use as is (tests pass one pointed at a local S3).
   *
   * @default - a client with the SDK's defaults and {@link AWS_REQUEST_HANDLER_TIMEOUTS}
   */
  readonly client?: S3Client;
  /**
   * Config for the client built when none is given.
   *
   * @default - the SDK's defaults
   */
  readonly clientConfig?: S3ClientConfig;
}

/** Reports as objects of one S3 bucket. */
export class S3ReportArchive implements ReportArchive, ReportSource {
  public readonly location: string;
  readonly #bucket: string;
  readonly #client: S3Client;

  public constructor(options: S3ReportArchiveOptions) {
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(options.bucket)) throw new ReportArchiveError(`the report bucket must be an S3 bucket name, got ${JSON.stringify(options.bucket.slice(0, 100))}`);
    this.#bucket = options.bucket;
    this.location = `s3://${options.bucket}`;
    this.#client = options.client ?? new S3Client({ requestHandler: AWS_REQUEST_HANDLER_TIMEOUTS, ...options.clientConfig });
  }

  public async write(key: string, body: string): Promise<void> {
    try {
      await this.#client.send(
        new PutObjectCommand({
          Bucket: this.#bucket,
          Key: key,
          Body: body,
          ContentType: 'application/json; charset=utf-8',
          ServerSideEncryption: 'aws:kms',
        }),
      );
    } catch (error) {
      throw new ReportArchiveError(`the report could not be archived in ${this.location} (${key}): ${awsErrorCode(error)}`, { cause: error });
    }
  }

  public async keysUnder(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    try {
      do {
        const page = await this.#client.send(new ListObjectsV2Command({ Bucket: this.#bucket, Prefix: prefix, ContinuationToken: token }));
        for (const object of page.Contents ?? []) if (object.Key?.endsWith('.json')) keys.push(object.Key);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token !== undefined);
    } catch (error) {
      throw new ReportArchiveError(`${this.location} could not be listed (${prefix}): ${awsErrorCode(error)}`, { cause: error });
    }
    return keys.sort();
  }

  public async read(key: string): Promise<string> {
    try {
      const object = await this.#client.send(new GetObjectCommand({ Bucket: this.#bucket, Key: key }));
      if ((object.ContentLength ?? 0) > MAX_REPORT_FILE_BYTES)
        throw new ReportArchiveError(`${key} in ${this.location} is ${object.ContentLength} bytes, over the ${MAX_REPORT_FILE_BYTES}-byte limit of a report`);
      if (object.Body === undefined) throw new ReportArchiveError(`${key} in ${this.location} has no body`);
      return await object.Body.transformToString('utf-8');
    } catch (error) {
      if (error instanceof ReportArchiveError) throw error;
      throw new ReportArchiveError(`${key} could not be read from ${this.location}: ${awsErrorCode(error)}`, { cause: error });
    }
  }
}
