import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * One HTTP(S) request the way a browser would send it, trusting `ca` for https (the test
 * certificate); redirects are NOT followed, so tests can see and drive each hop.
 */
export function browserRequest(
  url: string,
  options: { ca?: string; method?: string; form?: Record<string, string> } = {},
): Promise<Reply> {
  const target = new URL(url);
  const body = options.form ? new URLSearchParams(options.form).toString() : undefined;
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      {
        method: options.method ?? (body ? 'POST' : 'GET'),
        ...(options.ca ? { ca: options.ca } : {}),
        headers: body
          ? {
              'content-type': 'application/x-www-form-urlencoded',
              'content-length': Buffer.byteLength(body),
            }
          : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Plays the person's browser through the Web flow: GET /grant → 302 to the authorize endpoint
 * → 302 back to the redirect URI → the listener's page. Returns every hop.
 */
export async function playWebFlow(grantUrl: string, ca: string): Promise<Reply[]> {
  const hops: Reply[] = [];
  let url = grantUrl;
  for (let i = 0; i < 5; i++) {
    const reply = await browserRequest(url, { ca });
    hops.push(reply);
    const location = reply.headers.location;
    if (reply.status !== 302 || !location) return hops;
    url = new URL(location, url).toString();
  }
  throw new Error('too many redirects');
}

/** The hidden fields and action of the auto-submitting form Microsoft answers with form_post. */
export function parseFormPost(html: string): { action: string; fields: Record<string, string> } {
  const action = /<form[^>]*action="([^"]*)"/i.exec(html)?.[1];
  if (!action) throw new Error(`no form in: ${html.slice(0, 200)}`);
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input[^>]*name="([^"]*)"[^>]*value="([^"]*)"/gi)) {
    fields[m[1] as string] = unescape(m[2] as string);
  }
  return { action: unescape(action), fields };
}

/**
 * An `openBrowser` for the desktop flow that plays the browser: GET the authorize URL, then
 * submit the form_post it answers with to the loopback listener. `seen` collects what it did.
 */
export function desktopBrowser(
  ca: string,
  seen: { urls: string[]; replies: Reply[] } = { urls: [], replies: [] },
): (url: string) => Promise<void> {
  return async (url) => {
    seen.urls.push(url);
    const page = await browserRequest(url, { ca });
    seen.replies.push(page);
    if (page.status !== 200) return;
    const { action, fields } = parseFormPost(page.body);
    // The browser submits after openBrowser returns; MSAL awaits openBrowser first.
    setImmediate(() => {
      browserRequest(action.replace('//localhost', '//127.0.0.1'), { form: fields }).then(
        (reply) => seen.replies.push(reply),
        () => undefined,
      );
    });
  };
}

function unescape(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
