import express, { type NextFunction, type Request, type Response } from 'express';
import { ApiError } from './api-error.js';

/** SPEC: bodies over 1 MiB are refused with 413. */
const BODY_LIMIT_BYTES = 1024 * 1024;

const readRaw = express.raw({ type: () => true, limit: BODY_LIMIT_BYTES });
const utf8 = new TextDecoder('utf-8', { fatal: true });

declare module 'express-serve-static-core' {
  interface Locals {
    /** The request body exactly as sent (decoded UTF-8), kept for byte-exact payload storage. */
    rawBody?: string;
  }
}

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * Reads a JSON body: 415 if it is not declared JSON, 413 past 1 MiB, 400 if it is not valid UTF-8
 * JSON. Sets `req.body` to the parsed value and `res.locals.rawBody` to the text.
 */
export function jsonBody(req: Request, res: Response, next: NextFunction): void {
  if (!hasBody(req)) {
    req.body = undefined;
    return next();
  }
  if (!req.is(['application/json', 'application/*+json'])) {
    return next(new ApiError('unsupported_media_type', 'Send the body as application/json.'));
  }
  readRaw(req, res, (err?: unknown) => {
    if (err) {
      const type = (err as { type?: string }).type;
      if (type === 'entity.too.large') {
        return next(new ApiError('payload_too_large', `The body is larger than ${BODY_LIMIT_BYTES} bytes.`));
      }
      if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
        return next(new ApiError('unsupported_media_type', 'Only UTF-8 JSON bodies are accepted.'));
      }
      return next(new ApiError('malformed_json', 'The request body could not be read.'));
    }
    try {
      const text = utf8.decode(req.body as Buffer);
      req.body = JSON.parse(text) as unknown;
      res.locals.rawBody = text;
      next();
    } catch (parseError) {
      const message = parseError instanceof SyntaxError ? parseError.message : 'invalid UTF-8';
      next(new ApiError('malformed_json', `The body is not valid JSON: ${message}`));
    }
  });
}

/**
 * Configuration bodies are stored as Postgres text and jsonb, neither of which can hold U+0000:
 * refuse it up front (400) rather than fail at the database. Event payloads are exempt: they are
 * stored as the raw JSON text, where a NUL stays the six characters of its escape.
 */
export function refuseNul(_req: Request, res: Response, next: NextFunction): void {
  if (res.locals.rawBody !== undefined && /\\u0000/i.test(res.locals.rawBody)) {
    return next(new ApiError('invalid_body', 'NUL characters (\\u0000) are not allowed here.'));
  }
  next();
}
