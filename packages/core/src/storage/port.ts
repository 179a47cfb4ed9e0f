/**
 * Bytes an adapter accepts: whole (a string as UTF-8, an `ArrayBuffer`, any `ArrayBufferView` such
 * as a `Uint8Array`, `Buffer` or `DataView`), a `Blob` or `File` (as `request.formData()` gives; read
 * as a stream, its size and type used when the options do not give them), or streamed (a web
 * stream or any async iterable of bytes, such as a Node Readable). Anything else is `INVALID_INPUT`.
 */
export type Body = Uint8Array | ArrayBuffer | ArrayBufferView | Blob | string | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

export interface PutOptions {
  /** Defaults to `application/octet-stream`. */
  contentType?: string;
  cacheControl?: string;
  /** User metadata: keys are lower-case ASCII letters, digits and `-`; values are ASCII strings. */
  metadata?: Record<string, string>;
  /** The body's size when known in advance; lets adapters avoid buffering a stream. */
  contentLength?: number;
  /**
   * Write only if the object's current `etag` is this one; otherwise (changed, or gone) throw
   * `PRECONDITION_FAILED` and leave it untouched. Where `capabilities.conditionalPut`. Copies use it
   * so they never replace a version written after they looked.
   */
  ifMatch?: string;
  /** `'*'`: write only if no object has this key; otherwise `PRECONDITION_FAILED`. Where `capabilities.conditionalPut`. */
  ifNoneMatch?: '*';
}

/** What is known about a stored object. */
export interface ObjectInfo {
  key: string;
  size: number;
  contentType: string;
  cacheControl?: string | undefined;
  metadata: Record<string, string>;
  etag?: string | undefined;
  lastModified: Date;
}

/** A listing entry: listings do not carry content type or metadata on every provider. */
export interface ListedObject {
  key: string;
  size: number;
  lastModified: Date;
  etag?: string | undefined;
}

export interface ListOptions {
  /** Only keys starting with this string (not a folder: `a/b` matches `a/bc`). */
  prefix?: string;
  /** From the previous page's `cursor`; opaque. */
  cursor?: string;
  /** Page size, 1–1000; defaults to 1000. */
  limit?: number;
}

export interface ListPage {
  /** Keys in ascending byte order. */
  items: ListedObject[];
  /** Pass to the next `list` call; absent on the last page. */
  cursor?: string | undefined;
}

/** A byte range, both ends inclusive as in HTTP `Range`. */
export interface ByteRange {
  start: number;
  /** Defaults to the last byte. */
  end?: number;
}

export interface GetOptions {
  range?: ByteRange;
}

/** A downloaded object. The body is a stream: read it once, with `bytes()`, `text()` or directly. */
export interface StoredObject {
  info: ObjectInfo;
  body: ReadableStream<Uint8Array>;
  /** Present when `range` was asked for. */
  range?: { start: number; end: number } | undefined;
  bytes(): Promise<Uint8Array>;
  text(): Promise<string>;
}

export interface UploadUrlOptions {
  /** Seconds; defaults to 900. */
  expiresIn?: number;
  /** The only content type the upload may carry, where `capabilities.uploadUrlEnforcesContentType`. */
  contentType?: string;
  /** Largest accepted body, where `capabilities.uploadUrlEnforcesMaxBytes`. */
  maxBytes?: number;
  /** Ask for a signed PUT instead of a form POST, where the adapter offers both. */
  method?: 'PUT' | 'POST';
}

/** How a browser or `fetch` uploads to a signed URL. */
export interface UploadTarget {
  url: string;
  /** `PUT`: send the bytes as the body. `POST`: send a multipart form of `fields` then the `file` field. */
  method: 'PUT' | 'POST';
  /** Headers the request must carry (PUT). */
  headers: Record<string, string>;
  /** Form fields that precede the file (POST). */
  fields: Record<string, string>;
  expiresAt: Date;
}

export interface DownloadUrlOptions {
  /** Seconds; defaults to 3600. */
  expiresIn?: number;
  /** A file name that makes browsers save instead of display (Content-Disposition: attachment). */
  downloadAs?: string;
}

export interface SignedUrl {
  url: string;
  expiresAt: Date;
}

export interface StorageCapabilities {
  /** `get` honours `range`. */
  rangeReads: boolean;
  /** `createUploadUrl` can return a form POST. */
  presignedPost: boolean;
  /** An upload through the signed request with another content type is refused by the provider. */
  uploadUrlEnforcesContentType: boolean;
  /** An upload through the signed request larger than `maxBytes` is refused by the provider. */
  uploadUrlEnforcesMaxBytes: boolean;
  /**
   * Upload URL lifetime: `'requested'` when `expiresIn` is honoured, or the fixed number of
   * seconds the provider imposes whatever is asked.
   */
  uploadUrlExpiry: 'requested' | number;
  /** `publicUrl` works. */
  publicUrls: boolean;
  /** `createDownloadUrl` honours `downloadAs`. */
  downloadAs: boolean;
  /**
   * Keys may hold any Unicode text that `validateKey` allows. Supabase Storage accepts only ASCII
   * letters, digits and `_/!-.*'() &$@=;:+,?`: its adapter declares false and refuses other keys
   * with `INVALID_INPUT` before any I/O, so a dual-run never writes a key one side cannot hold.
   */
  unicodeKeys: boolean;
  /**
   * The characters a key may hold on this provider, beyond what `validateKey` refuses, as the body
   * of a regular-expression character class (e.g. `A-Za-z0-9_/!.*'() &$@=;:+,?-`); absent when
   * every key `validateKey` allows can be stored. A key with any other character is refused with
   * `INVALID_INPUT` before any I/O; every accepted key round-trips unchanged through every method.
   */
  keyCharacters?: string | undefined;
  /**
   * The most UTF-8 bytes one segment of a key (the text between two `/`) may hold on this provider,
   * where that is less than a whole key; absent when only the key's own limit applies. A file-system
   * backend stores each segment as a file name (255 bytes on most file systems), as self-hosted
   * Supabase Storage does. A key with a longer segment is refused with `INVALID_INPUT` before any I/O.
   */
  maxKeySegmentBytes?: number | undefined;
  /**
   * `put` honours `ifMatch` and `ifNoneMatch` atomically at the provider (two racing conditional
   * writes cannot both succeed), and `put`/`head`/`get` report an `etag`. Without it those options
   * throw `UNSUPPORTED`.
   */
  conditionalPut: boolean;
}

/**
 * A bucket. Keys are validated the same way for every adapter (see `validateKey`); a bad key is
 * refused with `INVALID_INPUT` before any I/O. Methods throw only `SwitchyardError`.
 */
export interface StoragePort {
  readonly provider: string;
  readonly capabilities: StorageCapabilities;
  /** Stores (or replaces) an object. The object is either fully written or not at all. */
  put(key: string, body: Body, options?: PutOptions): Promise<ObjectInfo>;
  /** Throws `NOT_FOUND` when there is no such object; `INVALID_INPUT` for a range past the end. */
  get(key: string, options?: GetOptions): Promise<StoredObject>;
  /** Returns null when there is no such object; never throws `NOT_FOUND`. */
  head(key: string): Promise<ObjectInfo | null>;
  /** Removes one or many objects. Missing keys are not an error. Throws if any key could not be removed, listing them in `details.failed`. */
  delete(keys: string | readonly string[]): Promise<void>;
  /** One page of keys in ascending order; follow `cursor` to see every key exactly once. */
  list(options?: ListOptions): Promise<ListPage>;
  /** Copies an object with its content type and metadata. Throws `NOT_FOUND` when `from` is missing. */
  copy(from: string, to: string): Promise<void>;
  /** A signed request that uploads to `key` without credentials. */
  createUploadUrl(key: string, options?: UploadUrlOptions): Promise<UploadTarget>;
  /** A signed URL that downloads `key` without credentials. Does not check that the object exists. */
  createDownloadUrl(key: string, options?: DownloadUrlOptions): Promise<SignedUrl>;
  /** A permanent URL; throws `UNSUPPORTED` unless `capabilities.publicUrls`. */
  publicUrl(key: string): Promise<string>;
  /** Releases clients and sockets. */
  close(): Promise<void>;
}
