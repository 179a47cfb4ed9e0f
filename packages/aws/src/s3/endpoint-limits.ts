import { keyCharactersProblem, type StorageCapabilities } from '@switchyard/core/adapter/storage';

/**
 * What an S3-compatible endpoint does not do that AWS S3 does, so that `capabilities` stay true for
 * the endpoint the adapter talks to. Leave it out for AWS S3. Every field defaults to S3's behaviour.
 *
 * | endpoint | limits |
 * | --- | --- |
 * | AWS S3 | none |
 * | Ceph RGW 16 | `{ conditionalWrites: 'put-only' }` |
 * | Supabase Storage (S3 endpoint) | `{ postPolicy: 'except-size', conditionalWrites: 'not-enforced', keyCharacters: "A-Za-z0-9_/!.*'() &$=@;:+,?-" }`; `keyCharacters: "A-Za-z0-9_/!.*'()-"` where it does not URL-decode copy sources (before supabase/storage#1378); `maxKeySegmentBytes: 255` on the file backend |
 * | s3rver 3.7 | `{ postPolicy: 'not-enforced', signatures: 'not-verified', conditionalWrites: 'not-enforced' }` |
 */
export interface S3EndpointLimits {
  /**
   * How much of a form POST's policy the endpoint checks: `'enforced'` (default) all of it;
   * `'except-size'` all but `content-length-range` (Supabase Storage), so `maxBytes` binds nothing
   * and `uploadUrlEnforcesMaxBytes` is not declared; `'not-enforced'` none of it (s3rver): such a
   * form would let its holder upload anything, so `createUploadUrl` then signs PUTs only and refuses
   * `method: 'POST'` with `UNSUPPORTED`.
   */
  postPolicy?: 'enforced' | 'except-size' | 'not-enforced';
  /**
   * `'not-verified'`: the endpoint serves presigned URLs without checking their signature, so a
   * signed content type binds nothing. Default `'verified'`.
   */
  signatures?: 'verified' | 'not-verified';
  /**
   * Whether `If-Match` / `If-None-Match: *` are checked atomically: `'enforced'` (default) on
   * PutObject and CompleteMultipartUpload; `'put-only'` on PutObject alone, so a conditional put too
   * large for one PutObject (over `multipartThreshold`, or a stream of unknown length) is refused
   * with `UNSUPPORTED`; `'not-enforced'`: ignored, so `conditionalPut` is not declared.
   */
  conditionalWrites?: 'enforced' | 'put-only' | 'not-enforced';
  /**
   * The characters the endpoint accepts in keys, as the body of a regular-expression character
   * class (`u` flag), e.g. Supabase Storage's `A-Za-z0-9_/!.*'() &$=@;:+,?-`. Keys with any other
   * character are refused with `INVALID_INPUT` before any request. Default: any key core allows.
   */
  keyCharacters?: string;
  /**
   * The most UTF-8 bytes between two `/` of a key, where the endpoint stores each segment as a file
   * name: 255 for Supabase Storage on its file backend (self-hosted). Keys with a longer segment are
   * refused with `INVALID_INPUT` before any request. Default: no limit beyond the key's 1,024 bytes.
   */
  maxKeySegmentBytes?: number;
}

export type ResolvedLimits = Required<Omit<S3EndpointLimits, 'keyCharacters' | 'maxKeySegmentBytes'>> &
  Pick<S3EndpointLimits, 'keyCharacters' | 'maxKeySegmentBytes'>;

const CHOICES = {
  postPolicy: ['enforced', 'except-size', 'not-enforced'],
  signatures: ['verified', 'not-verified'],
  conditionalWrites: ['enforced', 'put-only', 'not-enforced'],
} as const;

/** The contract suite's unicode key: an endpoint that cannot hold it does not have unicode keys. */
const UNICODE_SAMPLE = 'фото/été 2026/😀.jpg';

function choice<K extends keyof typeof CHOICES>(limits: S3EndpointLimits, name: K, problems: string[]): (typeof CHOICES)[K][number] {
  const value = limits[name];
  const allowed: readonly string[] = CHOICES[name];
  if (value === undefined) return CHOICES[name][0];
  if (!allowed.includes(value)) {
    problems.push(`limits.${name} must be one of ${allowed.map((v) => `'${v}'`).join(', ')}`);
    return CHOICES[name][0];
  }
  return value as (typeof CHOICES)[K][number];
}

/** Applies defaults, pushing a problem for every limit that cannot work. */
export function resolveLimits(limits: S3EndpointLimits | undefined, problems: string[]): ResolvedLimits {
  const given = limits ?? {};
  let keyCharacters = given.keyCharacters;
  if (keyCharacters !== undefined) {
    try {
      if (typeof keyCharacters !== 'string' || keyCharacters === '') throw new Error('empty');
      keyCharactersProblem('probe', keyCharacters);
    } catch {
      problems.push("limits.keyCharacters must be the body of a regular-expression character class, e.g. A-Za-z0-9_/!.*'() -");
      keyCharacters = undefined;
    }
  }
  const { maxKeySegmentBytes } = given;
  if (
    maxKeySegmentBytes !== undefined &&
    !(Number.isInteger(maxKeySegmentBytes) && maxKeySegmentBytes >= 1 && maxKeySegmentBytes <= 1024)
  ) {
    problems.push('limits.maxKeySegmentBytes must be a whole number of bytes from 1 to 1024, e.g. 255');
  }
  return {
    maxKeySegmentBytes,
    postPolicy: choice(given, 'postPolicy', problems),
    signatures: choice(given, 'signatures', problems),
    conditionalWrites: choice(given, 'conditionalWrites', problems),
    keyCharacters,
  };
}

/** What the adapter can promise on an endpoint with these limits. */
export function capabilitiesFor(options: { limits: ResolvedLimits; presign: 'post' | 'put'; publicUrls: boolean }): StorageCapabilities {
  const { limits, presign } = options;
  const post = presign === 'post';
  return {
    rangeReads: true,
    presignedPost: limits.postPolicy !== 'not-enforced',
    // A POST policy checks type and size; a signed PUT only binds its signed content-type header.
    uploadUrlEnforcesContentType: post || limits.signatures === 'verified',
    uploadUrlEnforcesMaxBytes: post && limits.postPolicy === 'enforced',
    uploadUrlExpiry: 'requested',
    publicUrls: options.publicUrls,
    downloadAs: true,
    unicodeKeys: keyCharactersProblem(UNICODE_SAMPLE, limits.keyCharacters) === null,
    keyCharacters: limits.keyCharacters,
    maxKeySegmentBytes: limits.maxKeySegmentBytes,
    conditionalPut: limits.conditionalWrites !== 'not-enforced',
  };
}
