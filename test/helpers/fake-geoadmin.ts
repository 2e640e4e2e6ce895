import { existsSync, readFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';

const FIXTURES = join(__dirname, '..', 'fixtures', 'geoadmin');

export type FakeRequest = { path: string; params: Record<string, string> };

/** How the fake answers: as documented, never, with a status (and body), or a 5xx a given number of times first. */
export type FakeMode = { kind: 'normal' } | { kind: 'hang' } | { kind: 'status'; status: number; body: string } | { kind: 'flaky'; failures: number };

export type FakeGeoadmin = {
  url: string;
  requests: FakeRequest[];
  /** Requests to one path (e.g. '/rest/services/api/SearchServer'). */
  requestsTo: (path: string) => FakeRequest[];
  setMode: (mode: FakeMode) => void;
  reset: () => void;
  close: () => Promise<void>;
};

const SEARCH = '/rest/services/api/SearchServer';
const FIND = '/rest/services/api/MapServer/find';
const IDENTIFY = '/rest/services/api/MapServer/identify';

/** Which search fixture answers which text: the first whose prefix the lower-cased text starts with. */
const SEARCH_FIXTURES: [prefix: string, fixture: string][] = [['badstr', 'search-badstrasse']];

function fixture(name: string): string | undefined {
  const file = join(FIXTURES, `${name}.json`);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

const EMPTY = JSON.stringify({ results: [] });

/** The parameters the API refuses to work without (its 400 answers), per the documentation. */
function missingParameter(path: string, params: Record<string, string>): string | undefined {
  const required: Record<string, string[]> = {
    [SEARCH]: ['searchText', 'type'],
    [FIND]: ['layer', 'searchText', 'searchField'],
    [IDENTIFY]: ['geometry', 'geometryType', 'tolerance', 'layers'],
  };
  return (required[path] ?? []).find((name) => !params[name]);
}

function searchAnswer(params: Record<string, string>): string {
  if (params.type !== 'locations' || params.origins !== 'address' || params.sr !== '4326') return EMPTY;
  const text = params.searchText.toLowerCase();
  const match = SEARCH_FIXTURES.find(([prefix]) => text.startsWith(prefix));
  return (match && fixture(match[1])) ?? EMPTY;
}

function findAnswer(params: Record<string, string>): string {
  if (params.contains !== 'false') return EMPTY;
  if (params.layer === 'ch.bfs.gebaeude_wohnungs_register' && params.searchField === 'egid') return fixture(`gwr-${params.searchText}`) ?? EMPTY;
  if (params.layer !== 'ch.bfe.solarenergie-eignung-daecher') return EMPTY;
  if (params.searchField === 'gwr_egid') return fixture(`roofs-${params.searchText}`) ?? EMPTY;
  if (params.searchField === 'building_id') return fixture(`roofs-building-${params.searchText}`) ?? EMPTY;
  return EMPTY;
}

/** Any point: the one roof the fixtures place under a register point without an EGID on its roofs. */
function identifyAnswer(params: Record<string, string>): string {
  return params.layers === 'all:ch.bfe.solarenergie-eignung-daecher' ? (fixture('identify-roofs') ?? EMPTY) : EMPTY;
}

/**
 * A stand-in for api3.geo.admin.ch on a local port, answering SearchServer, find and identify from
 * the fixtures in test/fixtures/geoadmin (written from the API documentation), and refusing requests
 * without the documented required parameters as the real API does. It records every request.
 */
export async function startFakeGeoadmin(): Promise<FakeGeoadmin> {
  const requests: FakeRequest[] = [];
  const sockets = new Set<Socket>();
  let mode: FakeMode = { kind: 'normal' };

  const answer = (path: string, params: Record<string, string>, response: ServerResponse): void => {
    const missing = missingParameter(path, params);
    if (missing) {
      response.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 400, message: `Please provide the parameter ${missing}` }));
      return;
    }
    const geojson = params.geometryFormat === 'geojson' && path !== SEARCH;
    const body = path === SEARCH ? searchAnswer(params) : path === FIND ? findAnswer(params) : path === IDENTIFY ? identifyAnswer(params) : undefined;
    if (body === undefined) {
      response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 404, message: 'Not Found' }));
      return;
    }
    response.writeHead(200, { 'content-type': geojson ? 'application/geo+json' : 'application/json' }).end(body);
  };

  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    const url = new URL(request.url ?? '/', 'http://fake');
    const params = Object.fromEntries(url.searchParams.entries());
    requests.push({ path: url.pathname, params });
    if (mode.kind === 'hang') return;
    if (mode.kind === 'status') {
      response.writeHead(mode.status, { 'content-type': 'text/html' }).end(mode.body);
      return;
    }
    if (mode.kind === 'flaky' && mode.failures > 0) {
      mode = { kind: 'flaky', failures: mode.failures - 1 };
      response.writeHead(502, { 'content-type': 'text/html' }).end('<html><body>Bad Gateway</body></html>');
      return;
    }
    answer(url.pathname, params, response);
  };

  const server: Server = createServer(handle);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    requestsTo: (path) => requests.filter((request) => request.path === path),
    setMode: (next) => {
      mode = next;
    },
    reset: () => {
      mode = { kind: 'normal' };
      requests.length = 0;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
