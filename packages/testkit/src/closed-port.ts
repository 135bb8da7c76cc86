import { createServer } from 'node:net';

/**
 * A loopback port nothing listens on right now: connecting to it is refused (an unreachable
 * backend), or a server can be started on it (a registry, a stand-in). 127.0.0.1 only.
 */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
