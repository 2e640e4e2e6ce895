import { readFile } from 'node:fs/promises';
import { createServer, request, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** The page's own policy: its files only, no inline script, requests to its own origin. */
const PAGE_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'";

export type PageServer = { url: string; close: () => Promise<void> };

/**
 * A static page in front of the service on one origin, as the previous version served its page next to
 * its API: `/` and the files of `folder` from here, everything under `/api/` passed on to `serviceUrl`.
 */
export async function startPageServer(folder: string, serviceUrl: string): Promise<PageServer> {
  const service = new URL(serviceUrl);
  const server: Server = createServer((incoming, outgoing) => {
    const path = new URL(incoming.url ?? '/', 'http://page').pathname;
    if (path.startsWith('/api/')) {
      const forwarded = request(
        { hostname: service.hostname, port: service.port, path: incoming.url, method: incoming.method, headers: { ...incoming.headers, host: service.host } },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      forwarded.on('error', () => {
        if (!outgoing.headersSent) outgoing.writeHead(502);
        outgoing.end();
      });
      incoming.pipe(forwarded);
      return;
    }
    // Browsers ask for it by themselves; a 404 would show as a console error of the page.
    if (path === '/favicon.ico') {
      outgoing.writeHead(204).end();
      return;
    }
    const name = path === '/' ? 'index.html' : path.slice(1);
    const type = CONTENT_TYPES[extname(name)];
    // Only the folder's own files: no sub-folders, no way out of it.
    if (!type || name.includes('/') || name.includes('..')) {
      outgoing.writeHead(404).end();
      return;
    }
    readFile(join(folder, name))
      .then((content) => outgoing.writeHead(200, { 'Content-Type': type, 'Content-Security-Policy': PAGE_CSP }).end(content))
      .catch(() => outgoing.writeHead(404).end());
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
}
