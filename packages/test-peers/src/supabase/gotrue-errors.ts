import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './http.js';

const API_VERSION = '2024-01-01';

export class GoTrueError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
}

export function sendError(req: IncomingMessage, res: ServerResponse, error: GoTrueError): void {
  if (req.headers['x-supabase-api-version'] === API_VERSION) {
    sendJson(
      res,
      error.status,
      { code: error.errorCode, message: error.message },
      { 'x-supabase-api-version': API_VERSION, 'x-sb-error-code': error.errorCode },
    );
  } else {
    sendJson(
      res,
      error.status,
      { code: error.status, error_code: error.errorCode, msg: error.message },
      { 'x-sb-error-code': error.errorCode },
    );
  }
}
