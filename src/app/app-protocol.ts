/**
 * The window's pages come from `app://cloud-sync/…`, served from dist/renderer by this code
 * (Electron's protocol.handle in main; a plain HTTP server in the browser tests). A custom
 * secure origin instead of file:// gives ES modules a real origin, lets every response carry
 * the Content-Security-Policy header, and gives the IPC gate one origin to trust.
 */
import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'cloud-sync';
export const APP_ENTRY = `${APP_SCHEME}://${APP_HOST}/renderer/index.html`;

/** Only the app's own files; no inline code, no network, no plugins, no framing. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.map': 'application/json',
};

export interface AppResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
};

/** The file a request path maps to under `root`, or undefined if it would leave it. */
export function resolveAppPath(pathname: string, root: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const base = resolve(root);
  const file = resolve(base, `.${decoded.startsWith('/') ? decoded : `/${decoded}`}`);
  return file.startsWith(base + sep) ? file : undefined;
}

/** Answers one request for the app's pages (GET only; unknown types and paths are refused). */
export async function serveAppFile(
  method: string,
  pathname: string,
  root: string,
): Promise<AppResponse> {
  const deny = (status: number, text: string): AppResponse => ({
    status,
    headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' },
    body: text,
  });
  if (method !== 'GET' && method !== 'HEAD') return deny(405, 'method not allowed');
  const file = resolveAppPath(pathname, root);
  const type = file && TYPES[extname(file).toLowerCase()];
  if (!file || !type) return deny(404, 'not found');
  try {
    const body = await readFile(file);
    return { status: 200, headers: { ...SECURITY_HEADERS, 'Content-Type': type }, body };
  } catch {
    return deny(404, 'not found');
  }
}
