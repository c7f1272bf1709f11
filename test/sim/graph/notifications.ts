import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo, Socket as NetSocket } from 'node:net';
import { Server, type Socket } from 'socket.io';

/** The real notificationUrl names the calling app too; clients pass it along untouched. */
const APPLICATION_ID = '00000000-0000-0000-0000-00000000a11d';

/** What `GET …/root/subscriptions/socketIo` answers (the documented shape plus an expiry). */
export interface SimSubscription {
  id: string;
  notificationUrl: string;
  expirationDateTime: string;
}

export interface NotificationHostOptions {
  /** Time source for expiry. */
  now: () => number;
  /** How long an issued notificationUrl is accepted for a new connection. */
  ttlMs: number;
}

interface Issued {
  subscriptionId: string;
  expiresAt: number;
  generation: number;
}

/**
 * OneDrive's socket.io change notifications, on loopback. Like the real service it lives on
 * another origin than Graph, the notificationUrl (`https://host/notifications?token=…&
 * applicationId=…`) carries its own credential, socket.io (Engine.IO 4, WebSocket) is served at
 * the default `/socket.io/` path with the URL's query, its path is the namespace, and a
 * `notification` event only says "something changed". Tests decide when that happens: nothing is emitted unless they call `notify()`.
 */
export class NotificationHost {
  /** Connections refused at the handshake (unknown or expired token). */
  refused = 0;
  /** Connections accepted so far. */
  accepted = 0;
  /** Every notificationUrl handed out, oldest first (tests check none leaks into logs). */
  readonly issued: string[] = [];

  /** Subscriptions handed out so far. */
  get issuedCount(): number {
    return this.issued.length;
  }

  private io: Server | undefined;
  private origin: string | undefined;
  private starting: Promise<void> | undefined;
  private readonly tokens = new Map<string, Issued>();
  private readonly raw = new Set<NetSocket>();
  private readonly sockets = new Set<Socket>();
  private readonly waiters = new Set<() => void>();
  private generation = 0;

  constructor(private readonly options: NotificationHostOptions) {}

  /** Clients connected right now. */
  get connections(): number {
    return this.sockets.size;
  }

  /** A fresh subscription; starts the socket.io server on first use. */
  async subscribe(): Promise<SimSubscription> {
    await this.start();
    const token = randomBytes(18).toString('base64url');
    const subscriptionId = randomUUID();
    const expiresAt = this.options.now() + this.options.ttlMs;
    this.tokens.set(token, { subscriptionId, expiresAt, generation: this.generation });
    const notificationUrl = `${this.origin as string}/notifications?token=${token}&applicationId=${APPLICATION_ID}`;
    this.issued.push(notificationUrl);
    return {
      id: subscriptionId,
      notificationUrl,
      expirationDateTime: new Date(expiresAt).toISOString(),
    };
  }

  /** Emits one `notification` to every connected client; returns how many it reached. */
  notify(): number {
    for (const socket of this.sockets) {
      const issued = socket.data as Issued;
      // Clients report the payload arriving as a JSON string; only its arrival matters.
      socket.emit(
        'notification',
        JSON.stringify({
          subscriptionId: issued.subscriptionId,
          resource: '/me/drive/root',
          changeType: 'updated',
          expirationDateTime: new Date(issued.expiresAt).toISOString(),
        }),
      );
    }
    return this.sockets.size;
  }

  /** Cuts every connection at the TCP level, as a network failure would. */
  drop(): void {
    for (const s of this.raw) s.destroy();
  }

  /** Every notificationUrl issued so far stops working; connected clients are disconnected. */
  expire(): void {
    this.generation++;
    for (const socket of this.sockets) socket.disconnect(true);
  }

  /** Resolves once at least `n` clients are connected (bounded, real time). */
  async waitForConnections(n: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.sockets.size < n) {
      if (Date.now() > deadline) {
        throw new Error(`expected ${n} notification connection(s), have ${this.sockets.size}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.waiters.add(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Resolves once no client is connected. */
  async waitForNoConnections(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.sockets.size > 0) {
      if (Date.now() > deadline) {
        throw new Error(`expected no notification connection, have ${this.sockets.size}`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async close(): Promise<void> {
    await this.starting;
    const io = this.io;
    if (!io) return;
    this.drop();
    await new Promise<void>((resolve) => {
      void io.close(() => resolve());
    });
  }

  private start(): Promise<void> {
    this.starting ??= (async () => {
      const http = createServer((_req, res) => res.writeHead(404).end());
      http.on('connection', (s: NetSocket) => {
        this.raw.add(s);
        s.once('close', () => this.raw.delete(s));
      });
      const io = new Server(http, { serveClient: false });
      // socket.io clients take the notificationUrl's path as the namespace.
      const nsp = io.of('/notifications');
      nsp.use((socket, next) => {
        const token = socket.handshake.query.token;
        const issued = typeof token === 'string' ? this.tokens.get(token) : undefined;
        if (
          !issued ||
          issued.generation !== this.generation ||
          issued.expiresAt <= this.options.now()
        ) {
          this.refused++;
          next(new Error('notification url expired or unknown'));
          return;
        }
        socket.data = issued;
        next();
      });
      nsp.on('connection', (socket) => {
        this.accepted++;
        this.sockets.add(socket);
        socket.once('disconnect', () => this.sockets.delete(socket));
        for (const wake of [...this.waiters]) wake();
        this.waiters.clear();
      });
      await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
      this.io = io;
      this.origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    })();
    return this.starting;
  }
}
