/**
 * The opt-in Prometheus endpoint: GET /metrics on 127.0.0.1:<port>, never
 * another interface (the figures name hosts and deployments, and the
 * console's web mode keeps to loopback for the same reason). Off until the
 * settings enable it; a settings change rebinds (new port) or closes it.
 *
 * Requests: GET or HEAD of /metrics only (405 for other methods, 404 for
 * other paths); the Host header must name the loopback address and port
 * (403 otherwise: a DNS-rebinding page in a browser cannot read it). No
 * token: Prometheus scrapes plain HTTP, and loopback is the boundary.
 * A port already in use is reported in status(), not thrown.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MetricsStatus } from '../../../shared/contract/metrics';
import { DEFAULT_PROMETHEUS_PORT, type PrometheusSettings } from '../../../shared/contract/settings';
import type { ConsoleLogger } from '../service-types';
import { EXPOSITION_CONTENT_TYPE } from './prometheus-format';

const HOST = '127.0.0.1';

export class MetricsServer {
  private server: Server | null = null;
  private wanted: PrometheusSettings = { enabled: false, port: DEFAULT_PROMETHEUS_PORT };
  private boundPort: number | null = null;
  private bindError: string | null = null;
  /** Serialises configure() calls: a rebind waits for the previous close. */
  private pending: Promise<void> = Promise.resolve();

  constructor(private readonly exposition: () => string, private readonly logger: ConsoleLogger) {}

  /** Applies the settings (undefined = off). Resolves once the listener is bound, closed, or failed to bind. */
  configure(settings: PrometheusSettings | undefined): Promise<void> {
    const next = settings ?? { enabled: false, port: this.wanted.port };
    this.pending = this.pending.then(() => this.apply(next));
    return this.pending;
  }

  status(): MetricsStatus {
    const listening = this.server !== null && this.boundPort !== null;
    return {
      enabled: this.wanted.enabled,
      port: this.boundPort ?? this.wanted.port,
      listening,
      url: listening ? `http://${HOST}:${this.boundPort}/metrics` : null,
      error: this.bindError,
    };
  }

  close(): Promise<void> {
    return this.configure({ ...this.wanted, enabled: false });
  }

  private async apply(next: PrometheusSettings): Promise<void> {
    const same = next.enabled === this.wanted.enabled && next.port === this.wanted.port;
    this.wanted = next;
    if (same && (this.server !== null || !next.enabled)) return;
    await this.stop();
    this.bindError = null;
    if (!next.enabled) return;
    const server = createServer((request, response) => this.serve(request, response));
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(next.port, HOST, () => resolve());
      });
    } catch (failure) {
      this.bindError = `could not listen on ${HOST}:${next.port}: ${failure instanceof Error ? failure.message : String(failure)}`;
      this.logger.warn(`Prometheus exposition: ${this.bindError}`);
      return;
    }
    this.server = server;
    this.boundPort = (server.address() as AddressInfo).port;
    this.logger.info(`Prometheus exposition listening on http://${HOST}:${this.boundPort}/metrics`);
  }

  private async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    this.boundPort = null;
    if (server === null) return;
    // Kept-alive scrape connections are cut too, so the port is free when this resolves.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  private serve(request: IncomingMessage, response: ServerResponse): void {
    const port = this.boundPort;
    const host = request.headers.host ?? '';
    if (port === null || (host !== `${HOST}:${port}` && host !== `localhost:${port}`)) {
      response.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' }).end('forbidden host\n');
      return;
    }
    const path = new URL(request.url ?? '/', `http://${HOST}:${port}`).pathname;
    if (path !== '/metrics') {
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found: the exposition is at /metrics\n');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    let body: string;
    try {
      body = this.exposition();
    } catch (failure) {
      this.logger.error(`Prometheus exposition failed: ${failure instanceof Error ? failure.message : String(failure)}`);
      response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end('the exposition could not be built; see the console log\n');
      return;
    }
    response.writeHead(200, { 'Content-Type': EXPOSITION_CONTENT_TYPE, 'Cache-Control': 'no-store' });
    response.end(request.method === 'HEAD' ? undefined : body);
  }
}
