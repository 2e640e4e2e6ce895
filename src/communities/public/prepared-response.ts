import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Request, Response } from 'express';

/** A response prepared once per state of the data: JSON, its gzip form and an ETag. */
export type PreparedResponse = { etag: string; json: Buffer; gzip: Buffer };

export function prepare(fingerprint: string, body: unknown): PreparedResponse {
  const json = Buffer.from(JSON.stringify(body));
  const etag = `"${createHash('sha256').update(fingerprint).digest('base64url').slice(0, 27)}"`;
  return { etag, json, gzip: gzipSync(json, { level: 6 }) };
}

/** Sends a prepared response: 304 when the client has it, gzip when the client accepts it. */
export function sendPrepared(request: Request, response: Response, prepared: PreparedResponse): void {
  response.setHeader('ETag', prepared.etag);
  response.setHeader('Cache-Control', 'public, max-age=0, must-revalidate');
  response.setHeader('Vary', 'Accept-Encoding');
  if (request.headers['if-none-match'] === prepared.etag) {
    response.status(304).end();
    return;
  }
  response.type('application/json');
  if (request.acceptsEncodings('gzip') === 'gzip') {
    response.setHeader('Content-Encoding', 'gzip');
    response.send(prepared.gzip);
    return;
  }
  response.send(prepared.json);
}
