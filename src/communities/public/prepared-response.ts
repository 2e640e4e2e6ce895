import { gzipSync } from 'node:zlib';
import type { Request, Response } from 'express';

/** A response prepared once per state of the data: JSON, its gzip form and its ETag. */
export type PreparedResponse = { etag: string; json: Buffer; gzip: Buffer };

/** An answer whose ETag is known before its body is prepared (it names a version of the data). */
export type VersionedResponse = { etag: string; prepare: () => Promise<PreparedResponse> };

export function prepare(etag: string, body: unknown): PreparedResponse {
  const json = Buffer.from(JSON.stringify(body));
  return { etag, json, gzip: gzipSync(json, { level: 6 }) };
}

/**
 * 304 when the client holds the current version (nothing is prepared or read beyond the version),
 * otherwise the prepared body, gzip when the client accepts it.
 */
export async function sendVersioned(request: Request, response: Response, answer: VersionedResponse, cacheControl = 'public, max-age=0, must-revalidate'): Promise<void> {
  response.setHeader('ETag', answer.etag);
  response.setHeader('Cache-Control', cacheControl);
  response.setHeader('Vary', 'Accept-Encoding');
  if (request.headers['if-none-match'] === answer.etag) {
    response.status(304).end();
    return;
  }
  const prepared = await answer.prepare();
  response.type('application/json');
  if (request.acceptsEncodings('gzip') === 'gzip') {
    response.setHeader('Content-Encoding', 'gzip');
    response.send(prepared.gzip);
    return;
  }
  response.send(prepared.json);
}
