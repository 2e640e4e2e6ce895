import { AddressInfo, createConnection, createServer, Socket } from 'node:net';

/**
 * A loopback TCP proxy in front of a database so that a test can take the database away (and give
 * it back) without touching the shared server.
 */
export type TcpProxy = {
  host: '127.0.0.1';
  port: number;
  /** Resets every open connection; new ones are reset as soon as they are accepted, until `restore()`. */
  cut: () => void;
  restore: () => void;
  /** Upstream connections open right now. */
  connectionCount: () => number;
  /** Connections accepted since the start (including those reset while cut). */
  acceptedCount: () => number;
  close: () => Promise<void>;
};

function reset(socket: Socket): void {
  if (socket.destroyed) return;
  // An RST rather than a FIN: what a client sees when the server or the network goes away.
  if (typeof socket.resetAndDestroy === 'function' && socket.readyState !== 'opening') socket.resetAndDestroy();
  else socket.destroy();
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const pairs = new Set<{ client: Socket; upstream: Socket }>();
  let cut = false;
  let accepted = 0;

  const server = createServer((client) => {
    accepted++;
    if (cut) {
      reset(client);
      return;
    }
    const upstream = createConnection({ host: targetHost, port: targetPort });
    const pair = { client, upstream };
    pairs.add(pair);
    const end = (): void => {
      pairs.delete(pair);
      reset(client);
      reset(upstream);
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolveListen());
  });
  const port = (server.address() as AddressInfo).port;

  const cutAll = (): void => {
    for (const pair of [...pairs]) {
      pairs.delete(pair);
      reset(pair.client);
      reset(pair.upstream);
    }
  };

  return {
    host: '127.0.0.1',
    port,
    cut: () => {
      cut = true;
      cutAll();
    },
    restore: () => {
      cut = false;
    },
    connectionCount: () => [...pairs].filter((pair) => !pair.upstream.destroyed).length,
    acceptedCount: () => accepted,
    close: async () => {
      cut = true;
      cutAll();
      await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
    },
  };
}
