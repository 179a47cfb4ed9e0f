import { createHmac } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import type { UploadTarget } from '@switchyard/core/adapter/storage';
import type { S3Sdk } from './sdk.js';
import { expiry } from './urls.js';

export interface PostRequest {
  key: string;
  expiresIn: number;
  contentType?: string | undefined;
  maxBytes?: number | undefined;
}

interface SigningKey {
  accessKeyId: string;
  secretAccessKey: string;
  shortDate: string;
  region: string;
  value: Buffer;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
const q = JSON.stringify;

/** 2026-11-30T01:45:00Z: ISO 8601 without milliseconds, as SigV4 and the policy's expiration take it. */
const iso8601 = (date: Date) => `${date.toISOString().slice(0, 19)}Z`;
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

/**
 * Browser form POSTs for one bucket, signed with SigV4 as S3 documents it
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html), field for
 * field what `createPresignedPost` returns (a test compares the two). That function resolves the
 * bucket's endpoint through the SDK's rule engine on every call, which is 15 of its ~48 µs; a
 * bucket's form URL does not depend on the key, so it is resolved once, by that function, and each
 * call after only builds and signs the policy.
 */
export class PostPolicySigner {
  private url: Promise<string> | undefined;
  private signingKey: SigningKey | undefined;

  constructor(
    private readonly sdk: S3Sdk,
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async sign(request: PostRequest): Promise<UploadTarget> {
    const url = await (this.url ?? this.resolveUrl());
    const config = this.client.config;
    const signedAt = Date.now();
    // The SDK corrects its clock by the skew S3 reported; the policy's dates must follow it.
    const now = new Date(signedAt + (config.systemClockOffset ?? 0));
    const amzDate = iso8601(now).replace(/[-:]/g, '');
    const shortDate = amzDate.slice(0, 8);
    const region = await config.region();
    // The provider caches and refreshes credentials itself; they may rotate between calls.
    const credentials = await config.credentials();
    const credential = `${credentials.accessKeyId}/${shortDate}/${region}/s3/aws4_request`;

    const fields: Record<string, string> = {};
    if (request.contentType) fields['Content-Type'] = request.contentType;
    fields.bucket = this.bucket;
    fields['X-Amz-Algorithm'] = ALGORITHM;
    fields['X-Amz-Credential'] = credential;
    fields['X-Amz-Date'] = amzDate;
    if (credentials.sessionToken) fields['X-Amz-Security-Token'] = credentials.sessionToken;

    // S3 refuses form fields the policy does not mention: without a type, let the browser send any.
    const conditions = [request.contentType ? `{"Content-Type":${q(request.contentType)}}` : '["starts-with","$Content-Type",""]'];
    if (request.maxBytes !== undefined) conditions.push(`["content-length-range",0,${q(request.maxBytes)}]`);
    for (const name in fields) {
      if (name !== 'Content-Type') conditions.push(`{${q(name)}:${q(fields[name])}}`);
    }
    conditions.push(`{"key":${q(request.key)}}`);
    const expiration = iso8601(expiry(now.valueOf(), request.expiresIn));
    const policy = Buffer.from(`{"expiration":"${expiration}","conditions":[${conditions.join(',')}]}`).toString('base64');

    fields.key = request.key;
    fields.Policy = policy;
    fields['X-Amz-Signature'] = hmac(this.keyFor(credentials, shortDate, region), policy).toString('hex');
    return { url, method: 'POST', headers: {}, fields, expiresAt: expiry(signedAt, request.expiresIn) };
  }

  private resolveUrl(): Promise<string> {
    const resolving = (async () => {
      const { createPresignedPost } = await this.sdk.use('post', 'createUploadUrl');
      return (await createPresignedPost(this.client, { Bucket: this.bucket, Key: 'endpoint' })).url;
    })();
    this.url = resolving;
    // A failed resolution (credentials not there yet, say) is tried again by the next call.
    resolving.catch(() => {
      if (this.url === resolving) this.url = undefined;
    });
    return resolving;
  }

  /** SigV4's derived key changes with the day, region and secret; most calls reuse the last one. */
  private keyFor(credentials: { accessKeyId: string; secretAccessKey: string }, shortDate: string, region: string): Buffer {
    const last = this.signingKey;
    if (
      last?.shortDate === shortDate &&
      last.region === region &&
      last.accessKeyId === credentials.accessKeyId &&
      last.secretAccessKey === credentials.secretAccessKey
    ) {
      return last.value;
    }
    const value = hmac(hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, shortDate), region), 's3'), 'aws4_request');
    this.signingKey = { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey, shortDate, region, value };
    return value;
  }
}
