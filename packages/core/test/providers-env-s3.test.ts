import { parseProvidersEnv } from '@switchyard/core';
import { describe, expect, it } from 'vitest';

const base = { SWITCHYARD_STORAGE: 'aws', AWS_REGION: 'us-east-1', AWS_S3_BUCKET: 'uploads' };

describe('S3 endpoint settings', () => {
  it('leaves limits, timeouts and attempts to the adapter when unset', () => {
    const { plan, problems } = parseProvidersEnv(base);
    expect(problems).toEqual([]);
    for (const option of ['limits', 'connectionTimeoutMs', 'requestTimeoutMs', 'maxAttempts']) {
      expect(plan.storage.primary.options).not.toHaveProperty(option);
    }
  });

  it("describes an S3-compatible endpoint's limits, e.g. Supabase Storage's", () => {
    const { plan, problems } = parseProvidersEnv({
      ...base,
      AWS_S3_ENDPOINT: 'https://ref.storage.supabase.co/storage/v1/s3',
      AWS_S3_POST_POLICY: 'except-size',
      AWS_S3_CONDITIONAL_WRITES: 'not-enforced',
      AWS_S3_KEY_CHARACTERS: "A-Za-z0-9_/!.*'() &$=@;:+,?-",
      AWS_S3_MAX_KEY_SEGMENT_BYTES: '255',
      AWS_S3_SIGNATURES: 'verified',
    });
    expect(problems).toEqual([]);
    expect(plan.storage.primary.options).toMatchObject({
      limits: {
        postPolicy: 'except-size',
        signatures: 'verified',
        conditionalWrites: 'not-enforced',
        keyCharacters: "A-Za-z0-9_/!.*'() &$=@;:+,?-",
        maxKeySegmentBytes: 255,
      },
    });
  });

  it('passes only the limits that are set', () => {
    const { plan } = parseProvidersEnv({ ...base, AWS_S3_CONDITIONAL_WRITES: 'put-only' });
    expect(plan.storage.primary.options).toMatchObject({ limits: { conditionalWrites: 'put-only' } });
    expect(Object.keys((plan.storage.primary.options as { limits: object }).limits)).toEqual(['conditionalWrites']);
  });

  it('passes timeouts and attempts', () => {
    const { plan, problems } = parseProvidersEnv({
      ...base,
      AWS_S3_CONNECTION_TIMEOUT_MS: '2000',
      AWS_S3_REQUEST_TIMEOUT_MS: '10000',
      AWS_S3_MAX_ATTEMPTS: '5',
    });
    expect(problems).toEqual([]);
    expect(plan.storage.primary.options).toMatchObject({ connectionTimeoutMs: 2000, requestTimeoutMs: 10000, maxAttempts: 5 });
  });

  it('reports every bad value at once', () => {
    const { problems } = parseProvidersEnv({
      ...base,
      AWS_S3_POST_POLICY: 'sometimes',
      AWS_S3_SIGNATURES: 'no',
      AWS_S3_CONDITIONAL_WRITES: 'yes',
      AWS_S3_MAX_KEY_SEGMENT_BYTES: '0',
      AWS_S3_CONNECTION_TIMEOUT_MS: 'soon',
      AWS_S3_REQUEST_TIMEOUT_MS: '-5',
      AWS_S3_MAX_ATTEMPTS: '1.5',
    });
    expect(problems.map((problem) => problem.variable)).toEqual([
      'AWS_S3_POST_POLICY',
      'AWS_S3_SIGNATURES',
      'AWS_S3_CONDITIONAL_WRITES',
      'AWS_S3_MAX_KEY_SEGMENT_BYTES',
      'AWS_S3_CONNECTION_TIMEOUT_MS',
      'AWS_S3_REQUEST_TIMEOUT_MS',
      'AWS_S3_MAX_ATTEMPTS',
    ]);
    expect(problems[0]).toMatchObject({ expected: 'one of enforced, except-size, not-enforced' });
  });
});
