import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedDelivery {
  headers: http.IncomingHttpHeaders;
  body: string;
  json: {
    id: string;
    type: string;
    occurred_at: string;
    contact_center_id: string;
    data: Record<string, unknown>;
  };
  /** The answer it got. */
  answered: number;
}

/** How the receiver answers the next requests. */
export type ReceiverMode =
  | { kind: 'ok' }
  | { kind: 'status'; status: number; retryAfter?: string }
  | { kind: 'slow'; delayMs: number };

/**
 * A webhook receiver on loopback: records every request it reads, answers as its mode says, and
 * can be taken down (its port then refuses connections) and brought back on the same port.
 */
export class WebhookReceiver {
  readonly received: ReceivedDelivery[] = [];
  mode: ReceiverMode = { kind: 'ok' };
  private server: http.Server | null = null;
  private port = 0;
  private waiters: { count: number; resolve: () => void }[] = [];

  static async start(): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    await receiver.up();
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`;
  }

  /** Deliveries answered 2xx. */
  get accepted(): ReceivedDelivery[] {
    return this.received.filter((r) => r.answered >= 200 && r.answered < 300);
  }

  async up(): Promise<void> {
    const server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const mode = this.mode;
        const answer = (status: number, headers: Record<string, string> = {}) => {
          this.received.push({ headers: request.headers, body, json: JSON.parse(body), answered: status });
          response.writeHead(status, { 'content-type': 'text/plain', ...headers });
          response.end(status < 300 ? 'ok' : 'not now');
          this.wake();
        };
        if (mode.kind === 'ok') answer(200);
        else if (mode.kind === 'status')
          answer(mode.status, mode.retryAfter ? { 'retry-after': mode.retryAfter } : {});
        else {
          const timer = setTimeout(() => answer(200), mode.delayMs);
          request.socket.on('close', () => clearTimeout(timer));
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stops listening and drops open connections: deliveries meet a refused connection. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Resolves once `count` deliveries have been answered 2xx. */
  waitForAccepted(count: number): Promise<void> {
    if (this.accepted.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  private wake(): void {
    const accepted = this.accepted.length;
    this.waiters = this.waiters.filter((w) => {
      if (accepted < w.count) return true;
      w.resolve();
      return false;
    });
  }

  close(): Promise<void> {
    return this.down();
  }
}
