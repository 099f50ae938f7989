// Capture endpoints for what a real Alertmanager sends: an HTTP server that records each request
// and answers as the service it stands for documents its minimal reply, and an SMTP server that
// records each mail. They stand in for Telegram, Slack, Discord, PagerDuty, a webhook and a mail
// server, so only our side (config, templates, routing) and Alertmanager's are under test.
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface Captured {
  path: string;
  body: string;
}

export interface Reply {
  status: number;
  body: string;
  type?: string;
}

/**
 * The documented minimal replies: Telegram Bot API (core.telegram.org/bots/api#making-requests:
 * `{"ok":true,"result":...}`, the result of sendMessage being the Message sent), Slack incoming
 * webhooks (200 "ok"), Discord execute webhook (204 without ?wait=true), PagerDuty Events API v2
 * (202 `{"status":"success","message":"Event processed","dedup_key":...}`), a webhook (200).
 */
export const REPLIES = {
  telegram: (body: string): Reply => {
    const sent = JSON.parse(body) as { chat_id: number | string; text: string };
    const message = { message_id: 1, date: Math.floor(Date.now() / 1000), chat: { id: Number(sent.chat_id), type: 'group', title: 'ops' }, text: sent.text };
    return { status: 200, body: JSON.stringify({ ok: true, result: message }), type: 'application/json' };
  },
  slack: (): Reply => ({ status: 200, body: 'ok', type: 'text/plain' }),
  discord: (): Reply => ({ status: 204, body: '' }),
  pagerduty: (): Reply => ({ status: 202, body: JSON.stringify({ status: 'success', message: 'Event processed', dedup_key: 'x' }), type: 'application/json' }),
  webhook: (): Reply => ({ status: 200, body: '' }),
  broken: (): Reply => ({ status: 500, body: 'internal error', type: 'text/plain' }),
};

/** Records every request; `reply` picks the answer by path. */
export async function captureHttp(reply: (path: string, body: string) => Reply): Promise<{ url: string; requests: Captured[]; close(): Promise<void> }> {
  const requests: Captured[] = [];
  const server: Server = createHttpServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const path = req.url ?? '/';
      requests.push({ path, body });
      const r = reply(path, body);
      res.writeHead(r.status, r.type ? { 'content-type': r.type } : {});
      res.end(r.body);
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((ok) => server.close(() => ok())) };
}

/** An SMTP server (RFC 5321's minimal dialogue, no STARTTLS, no AUTH) that records each message's DATA. */
export async function captureSmtp(): Promise<{ hostPort: string; mails: string[]; close(): Promise<void> }> {
  const mails: string[] = [];
  const server: TcpServer = createTcpServer((sock) => {
    let buffer = '';
    let inData = false;
    sock.write('220 capture ESMTP\r\n');
    sock.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          mails.push(buffer.slice(0, end).replace(/\r\n\.\./g, '\r\n.'));
          buffer = buffer.slice(end + 5);
          inData = false;
          sock.write('250 OK queued\r\n');
          continue;
        }
        const nl = buffer.indexOf('\r\n');
        if (nl < 0) return;
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') sock.write('250-capture\r\n250 8BITMIME\r\n');
        else if (verb === 'DATA') {
          inData = true;
          sock.write('354 End data with <CR><LF>.<CR><LF>\r\n');
        } else if (verb === 'QUIT') sock.end('221 Bye\r\n');
        else sock.write('250 OK\r\n');
      }
    });
    sock.on('error', () => undefined);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return { hostPort: `127.0.0.1:${port}`, mails, close: () => new Promise((ok) => server.close(() => ok())) };
}

/** A mail's text as a person reads it: quoted-printable soft breaks and escapes undone. */
export function decodeQuotedPrintable(text: string): string {
  return text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}
