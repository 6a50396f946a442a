import { createServer } from 'node:net';

/**
 * A port nothing listens on now, for a private server a test starts (the kernel picks it). Better
 * than a fixed number: a fixed port inside the ephemeral range can be taken at any moment as the
 * local port of an outgoing connection ("address already in use").
 */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
