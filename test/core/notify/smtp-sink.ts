import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface SinkMail {
  from: string;
  to: string[];
  data: string;
  login: string | undefined;
}

/**
 * Just enough SMTP (EHLO, AUTH PLAIN/LOGIN, MAIL, RCPT, DATA, QUIT) for nodemailer to
 * deliver to; accepts one user/password pair and records what arrives.
 */
export class SmtpSink {
  readonly mails: SinkMail[] = [];
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(
    private readonly user: string,
    private readonly password: string,
  ) {}

  async start(): Promise<number> {
    this.server = createServer((socket) => this.session(socket));
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
    return (this.server.address() as AddressInfo).port;
  }

  private session(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => {});
    let buffer = '';
    let inData = false;
    let awaiting: 'user' | 'pass' | undefined;
    let loginUser = '';
    let login: string | undefined;
    let mail: SinkMail = { from: '', to: [], data: '', login: undefined };
    const say = (line: string): boolean => socket.write(`${line}\r\n`);
    const authOk = (u: string, p: string): void => {
      if (u === this.user && p === this.password) {
        login = u;
        say('235 2.7.0 Authentication successful');
      } else say('535 5.7.8 Authentication credentials invalid');
    };
    say('220 sink ESMTP');
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          mail.data = buffer.slice(0, end);
          buffer = buffer.slice(end + 5);
          inData = false;
          this.mails.push({ ...mail, login });
          mail = { from: '', to: [], data: '', login: undefined };
          say('250 2.0.0 queued');
          continue;
        }
        const nl = buffer.indexOf('\r\n');
        if (nl < 0) return;
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 2);
        const decode = (b64: string): string => Buffer.from(b64, 'base64').toString('utf8');
        if (awaiting === 'user') {
          loginUser = decode(line);
          awaiting = 'pass';
          say(`334 ${Buffer.from('Password:').toString('base64')}`);
          continue;
        }
        if (awaiting === 'pass') {
          awaiting = undefined;
          authOk(loginUser, decode(line));
          continue;
        }
        const verb = line.split(' ')[0]?.toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') {
          say('250-sink');
          say('250 AUTH PLAIN LOGIN');
        } else if (verb === 'AUTH') {
          const [, mech, arg] = line.split(' ');
          if (mech?.toUpperCase() === 'PLAIN' && arg) {
            const [, u = '', p = ''] = decode(arg).split('\0');
            authOk(u, p);
          } else if (mech?.toUpperCase() === 'LOGIN' && arg) {
            loginUser = decode(arg);
            awaiting = 'pass';
            say(`334 ${Buffer.from('Password:').toString('base64')}`);
          } else {
            awaiting = 'user';
            say(`334 ${Buffer.from('Username:').toString('base64')}`);
          }
        } else if (verb === 'MAIL') {
          mail.from = /<([^>]*)>/.exec(line)?.[1] ?? '';
          say('250 2.1.0 ok');
        } else if (verb === 'RCPT') {
          mail.to.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
          say('250 2.1.5 ok');
        } else if (verb === 'DATA') {
          inData = true;
          say('354 end with <CRLF>.<CRLF>');
        } else if (verb === 'QUIT') {
          say('221 2.0.0 bye');
          socket.end();
        } else if (verb === 'RSET' || verb === 'NOOP') {
          say('250 ok');
        } else {
          say('502 5.5.2 not implemented');
        }
      }
    });
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server?.close(() => r()));
  }
}
