import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request a test server received. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body, the raw text when it is not JSON, or `undefined` when empty. */
  body: unknown;
}

/** What a handler gets for one request. */
export interface HttpTestExchange {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  body: unknown;
  /** Aborts when the client goes away before the response has finished (a cancelled request). */
  signal: AbortSignal;
}

export type HttpTestHandler = (exchange: HttpTestExchange) => void | Promise<void>;

export interface HttpTestServer {
  readonly url: string;
  readonly port: number;
  /** Every request received, oldest first. */
  readonly requests: RecordedRequest[];
  /** Requests whose response has neither finished nor been abandoned by the client. */
  inFlight(): number;
  /** Stops listening and destroys every open socket, so stalled responses cannot keep a test alive. */
  close(): Promise<void>;
}

/**
 * A node:http server on 127.0.0.1 and a free port, for stand-in backends. It records requests,
 * tracks which are still being served, and tells handlers when their client disconnects.
 */
export async function startHttpTestServer(handler: HttpTestHandler): Promise<HttpTestServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let open = 0;

  const server = createServer((req, res) => {
    open++;
    const disconnect = new AbortController();
    res.on('close', () => {
      open--;
      if (!res.writableFinished) disconnect.abort(new Error('client disconnected'));
    });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const body = parseBody(raw);
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      requests.push({ method: req.method ?? 'GET', path: url.pathname, headers: req.headers, body });
      Promise.resolve()
        .then(() => handler({ req, res, url, body, signal: disconnect.signal }))
        .catch((error: unknown) => {
          if (disconnect.signal.aborted) return;
          if (!res.headersSent) {
            res.writeHead(500, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ error: `stand-in handler failed: ${error instanceof Error ? error.message : String(error)}` }));
          } else {
            res.destroy();
          }
        });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    inFlight: () => open,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function parseBody(raw: string): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}
