import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SentMail {
  authorization: string | undefined;
  body: {
    from: { email: string };
    subject: string;
    personalizations: Array<{ to: Array<{ email: string }> }>;
    content: Array<{ type: string; value: string }>;
  };
}

/**
 * Stands in for SendGrid's v3 API on loopback: records each POST /v3/mail/send and answers
 * 202, or `status` when a test sets it (401 for a bad key, 500 for an outage).
 */
export class SendGridStub {
  readonly mails: SentMail[] = [];
  status = 202;
  /** Text the stub puts in its error body (SendGrid's `{errors: [{message}]}`). */
  errorMessage = 'The provided authorization grant is invalid, expired, or revoked';
  private server: Server | undefined;

  constructor(readonly apiKey: string) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.method !== 'POST' || req.url !== '/v3/mail/send') {
          res.writeHead(404).end();
          return;
        }
        const authorization = req.headers.authorization;
        const status = authorization === `Bearer ${this.apiKey}` ? this.status : 401;
        if (status === 202) {
          this.mails.push({ authorization, body: JSON.parse(Buffer.concat(chunks).toString()) });
          res.writeHead(202).end();
          return;
        }
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ message: this.errorMessage, field: null }] }));
      });
    });
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  texts(): string[] {
    return this.mails.map((m) => m.body.content.find((c) => c.type === 'text/plain')?.value ?? '');
  }

  subjects(): string[] {
    return this.mails.map((m) => m.body.subject);
  }

  async stop(): Promise<void> {
    // Clients keep connections alive; close() alone would wait for them to time out.
    this.server?.closeAllConnections();
    await new Promise<void>((r) => this.server?.close(() => r()));
  }
}
