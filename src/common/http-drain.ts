import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Server as NetServer } from 'node:net';

const POLL_MS = 20;
/**
 * Connections the kernel accepted before the signal but the busy event loop has not taken yet would be
 * reset by closing the listener at once; they get this long to be taken (and answered) first.
 */
const ACCEPT_BACKLOG_MS = 250;
/** Time for requests already sent on open connections to arrive and be parsed before idle ones close. */
const LINGER_MS = 200;

/**
 * Graceful draining for an HTTP server. `server.close()` alone also destroys every connection that
 * has no request in progress at that instant; a keep-alive client that has just sent its next request
 * (or is reading the last response) then gets a reset instead of an answer. Instead: answer every
 * request with `Connection: close` so each connection ends cleanly after its response, take the
 * connections already waiting in the accept queue, stop listening, wait for the responses in
 * progress, and only then close what is still idle.
 */
export function trackForDrain(server: Server): { drain: (deadlineMs: number) => Promise<void> } {
  const active = new Set<ServerResponse>();
  let draining = false;
  server.on('request', (_request: IncomingMessage, response: ServerResponse) => {
    if (draining) response.setHeader('Connection', 'close');
    active.add(response);
    response.on('close', () => active.delete(response));
  });

  const drain = async (deadlineMs: number): Promise<void> => {
    draining = true;
    for (const response of active) if (!response.headersSent) response.setHeader('Connection', 'close');
    await new Promise((resolve) => setTimeout(resolve, ACCEPT_BACKLOG_MS));
    NetServer.prototype.close.call(server);
    const deadline = Date.now() + deadlineMs;
    let quietSince = Date.now();
    while (Date.now() < deadline) {
      if (active.size > 0) quietSince = Date.now();
      else if (Date.now() - quietSince >= LINGER_MS) break;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    server.closeIdleConnections();
  };
  return { drain };
}
