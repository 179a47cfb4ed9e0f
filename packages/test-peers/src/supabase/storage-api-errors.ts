import type { ServerResponse } from 'node:http';
import { sendJson } from './http.js';

/**
 * An error as storage-api renders it (src/internal/errors/codes.ts and src/http/error-handler.ts in
 * supabase/storage): the true status goes in the body's `statusCode`, and the status line says 400
 * unless the error carries its own (`userStatusCode`) or is a 500.
 */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    readonly error: string,
    message: string,
    /** The status line, where storage-api sets it; else 400, or 500 for an internal error. */
    readonly httpStatus?: number,
  ) {
    super(message);
  }
}

export const errors = {
  noSuchBucket: () => new ApiError(404, 'NoSuchBucket', 'Bucket not found', 'Bucket not found'),
  noSuchKey: () => new ApiError(404, 'NoSuchKey', 'not_found', 'Object not found'),
  keyExists: () => new ApiError(409, 'KeyAlreadyExists', 'Duplicate', 'The resource already exists'),
  bucketExists: () => new ApiError(409, 'BucketAlreadyExists', 'Duplicate', 'The resource already exists'),
  bucketNotEmpty: () => new ApiError(409, 'ResourceNotEmpty', 'ResourceNotEmpty', 'The bucket you tried to delete is not empty'),
  invalidKey: (key: string) => new ApiError(400, 'InvalidKey', 'InvalidKey', `Invalid key: ${key}`),
  /** A request that fails storage-api's JSON schema (fastify's validation message). */
  schema: (message: string) => new ApiError(400, 'InvalidRequest', 'Error', message),
  invalidParameter: (what: string) => new ApiError(400, 'InvalidParameter', 'InvalidParameter', `Invalid Parameter ${what}`),
  accessDenied: (message: string) => new ApiError(403, 'AccessDenied', 'Unauthorized', message),
  invalidJwt: (message: string) => new ApiError(400, 'InvalidJWT', 'InvalidJWT', message),
  invalidSignature: (message = 'Invalid signature') => new ApiError(400, 'InvalidSignature', 'InvalidSignature', message),
  tooLarge: () => new ApiError(413, 'EntityTooLarge', 'Payload too large', 'The object exceeded the maximum allowed size'),
  mimeType: (type: string) => new ApiError(415, 'InvalidMimeType', 'invalid_mime_type', `mime type ${type} is not supported`),
  range: () => new ApiError(416, 'InvalidRange', 'invalid_range', 'invalid range provided', 416),
  /** What the file backend's ENAMETOOLONG (and any other unexpected failure) becomes. */
  internal: () => new ApiError(500, 'InternalError', 'Internal', 'Internal Server Error'),
};

export function sendError(res: ServerResponse, error: ApiError): void {
  const status = error.httpStatus ?? (error.statusCode === 500 ? 500 : 400);
  sendJson(res, status, { statusCode: String(error.statusCode), error: error.error, message: error.message, code: error.code });
}
