/**
 * A TCP proxy in front of a stack component that a fault test can stop and start again. Stopped, it refuses
 * new connections and resets the open ones, which is what the BFF sees when the component's process stops;
 * the shared component itself keeps running for the other integration suites.
 */
import net from 'node:net';

export interface FaultProxy {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly port: number;
  /** Refuse new connections and reset the open ones (idempotent). */
  stop(): Promise<void>;
  /** Listen again on the same port (idempotent). */
  start(): Promise<void>;
  readonly up: boolean;
  close(): Promise<void>;
}

export async function faultProxy(target: string): Promise<FaultProxy> {
  const to = new URL(target);
  const targetPort = Number(to.port || (to.protocol === 'https:' ? 443 : 80));
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, to.hostname);
    track(client);
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  let port = 0;
  let up = false;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        port = (server.address() as net.AddressInfo).port;
        up = true;
        resolve();
      });
    });
  const stop = async () => {
    if (!up) return;
    up = false;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of sockets) s.resetAndDestroy();
    await closed;
  };
  await listen();
  return {
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    get up() {
      return up;
    },
    stop,
    start: async () => {
      if (!up) await listen();
    },
    close: stop,
  };
}
