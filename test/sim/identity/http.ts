import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export function pkceMatches(challenge: string | undefined, verifier: string | null): boolean {
  if (challenge === undefined) return verifier === null;
  if (!verifier) return false;
  return createHash('sha256').update(verifier).digest('base64url') === challenge;
}

export function oauthError(res: ServerResponse, status: number, error: string, code: number): void {
  json(res, status, {
    error,
    error_description: `AADSTS${code}: simulated ${error}.`,
    error_codes: [code],
    timestamp: new Date().toISOString(),
    trace_id: 'sim-trace',
    correlation_id: 'sim-correlation',
  });
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function escapeAttr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
