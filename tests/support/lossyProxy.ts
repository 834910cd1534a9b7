import { createServer, connect, type Socket } from 'node:net';

export interface LossyProxy {
  url: string;
  /** While on, an answer coming back on a connection already in use is cut off: the request arrived, its answer is lost. */
  dropAnswers(on: boolean): void;
  dropped(): number;
  close(): Promise<void>;
}

/**
 * A TCP relay between terminals and a site server that can lose answers in transit, as a flaky
 * hangar network does: the bytes are passed on untouched (TLS stays end to end, the pinned CA still
 * applies), but in "drop" mode a connection whose request went through is cut when the answer
 * comes back. Young connections (their TLS handshake) pass, so a retry gets through.
 */
export async function lossyProxy(target: { host: string; port: number }): Promise<LossyProxy> {
  let dropping = false;
  let dropped = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const opened = Date.now();
    const upstream = connect(target.port, target.host);
    sockets.add(client).add(upstream);
    let requestSeen = false;
    client.on('data', (chunk) => {
      if (Date.now() - opened > 300) requestSeen = true;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (dropping && requestSeen) {
        dropped++;
        client.destroy();
        upstream.destroy();
        return;
      }
      client.write(chunk);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `https://127.0.0.1:${port}`,
    dropAnswers: (on) => (dropping = on),
    dropped: () => dropped,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
