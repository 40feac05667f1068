import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError } from '../kube/errors.js';
import type { Objects } from '../store/objects.js';
import { readBody } from './body.js';
import { apiGroupList, apiResourceList, apiVersions, versionInfo } from './discovery.js';
import { handleResource, type Reply } from './rest.js';
import { route } from './route.js';

export interface RequestLogEntry {
  method: string;
  path: string;
  /** The raw query string, without `?`. */
  query: string;
  /** Epoch milliseconds at arrival. */
  time: number;
  /** The response status; 0 when the connection was dropped (fault) before answering. */
  status: number;
  userAgent: string;
  contentType: string;
}

export interface ApiServerOptions {
  objects: Objects;
  /** Read per request, so tests can change it while a command runs. */
  latencyMs(): number;
  onError(err: unknown): void;
  onRequest?(entry: RequestLogEntry): void;
}

function send(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * The HTTP front: routes requests to discovery or the REST handlers, logs every request, and
 * implements the network faults (latency; going away, which closes the listener and every open
 * connection so clients get connection refused/reset, and coming back on the same port).
 */
export class ApiServer {
  readonly log: RequestLogEntry[] = [];
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly watches = new Set<() => void>();
  private gone = false;
  port = 0;

  constructor(private readonly opts: ApiServerOptions) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async listen(port = 0): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    // Go's HTTP client keeps idle connections 90 s; a Node server closing them earlier (5 s
    // default) races with reuse and surfaces as spurious EOFs in helm and kubectl.
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
    server.requestTimeout = 0;
    server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    const addr = server.address();
    if (addr === null || typeof addr === 'string') throw new Error('sandbox: no TCP address');
    this.port = addr.port;
    this.server = server;
  }

  /** Ends watches, closes the listener and drops every connection. */
  async goAway(): Promise<void> {
    this.gone = true;
    for (const stop of [...this.watches]) stop();
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async comeBack(): Promise<void> {
    if (this.server) return;
    this.gone = false;
    await this.listen(this.port);
  }

  async stop(): Promise<void> {
    await this.goAway();
  }

  private trackWatch = (stop: () => void): (() => void) => {
    this.watches.add(stop);
    return () => this.watches.delete(stop);
  };

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const entry: RequestLogEntry = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.search.replace(/^\?/, ''),
      time: Date.now(),
      status: 0,
      userAgent: req.headers['user-agent'] ?? '',
      contentType: req.headers['content-type'] ?? '',
    };
    this.log.push(entry);
    try {
      const raw = await readBody(req);
      const latency = this.opts.latencyMs();
      if (latency > 0) await sleep(latency);
      if (this.gone) {
        req.socket.destroy();
        return;
      }
      const reply = this.dispatch(req, res, url, raw);
      if ('streaming' in reply) entry.status = 200;
      else {
        entry.status = reply.code;
        send(res, reply.code, reply.body);
      }
      this.opts.onRequest?.({ ...entry });
    } catch (err) {
      const apiErr = err instanceof ApiError ? err : new ApiError(500, 'InternalError', `sandbox: ${err instanceof Error ? err.message : String(err)}`);
      if (!(err instanceof ApiError)) this.opts.onError(err);
      entry.status = apiErr.code;
      if (!res.headersSent) send(res, apiErr.code, apiErr.toStatus());
      else res.end();
      this.opts.onRequest?.({ ...entry });
    }
  }

  private dispatch(req: IncomingMessage, res: ServerResponse, url: URL, raw: Buffer): Reply {
    const r = route(url.pathname);
    switch (r.kind) {
      case 'version':
        return { code: 200, body: versionInfo() };
      case 'health':
        return { code: 200, body: 'ok' };
      case 'api':
        return { code: 200, body: apiVersions(`127.0.0.1:${this.port}`) };
      case 'apis':
        return { code: 200, body: apiGroupList() };
      case 'groupVersion':
        return { code: 200, body: apiResourceList(r.group, r.version) };
      case 'resource':
        return handleResource({ objects: this.opts.objects, trackWatch: this.trackWatch }, r, req, res, url, raw);
      case 'notFound':
        // OpenAPI (/openapi/v2, /openapi/v3) lands here: none of the commands needs it.
        return { code: 404, body: new ApiError(404, 'NotFound', 'the server could not find the requested resource').toStatus() };
    }
  }
}
