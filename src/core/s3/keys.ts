import { itemError } from '../errors.js';

/** S3's limit on a key, counted in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;

/**
 * The object key of a drive item: `prefix` + its path below the drive root, no leading slash
 * ("Documents/Sub/a.txt"). Accepts "/Documents/a.txt", "Documents/a.txt" and Graph's
 * "/drive/root:/Documents/a.txt" forms. Names are taken as they are (already decoded): a file
 * really called "100%25.txt" keeps its name. The config loader ends a non-empty prefix with "/";
 * this does too, so a hand-built prefix can't glue itself onto the first folder name.
 */
export function objectKey(prefix: string, drivePath: string): string {
  const below = drivePath.replace(/^\/?drives?(?:\/[^/]+)?\/root:/i, '').replace(/^\/+/, '');
  const head = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
  return head + below;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F]/;

/**
 * Refuses keys S3 cannot store or that would not come back safely, as an item error (this file
 * fails, the round goes on). Conservative on purpose:
 *  - over 1024 UTF-8 bytes: S3 rejects the request;
 *  - ASCII control characters (U+0000–U+001F, U+007F): S3 stores most of them but XML 1.0
 *    listings cannot carry them, and the local S3 server refuses a newline outright;
 *  - unpaired UTF-16 surrogates: not encodable as UTF-8;
 *  - "." or ".." path segments: HTTP clients and proxies may normalise them away, and a restore
 *    would write outside its target folder. OneDrive never produces such names.
 */
export function checkKey(key: string): string {
  const refuse = (reason: string, code = 'key-invalid', hint?: string): never => {
    throw itemError(`Cannot store "${printable(key)}" in S3: ${reason}`, {
      code,
      ...(hint ? { hint } : {}),
    });
  };
  if (key === '') refuse('the key is empty');
  const bytes = Buffer.byteLength(key, 'utf8');
  if (bytes > MAX_KEY_BYTES) {
    refuse(
      `its key is ${bytes} bytes in UTF-8; S3 allows at most ${MAX_KEY_BYTES}`,
      'key-too-long',
      'Shorten the names of the file or its folders (or the [aws] prefix).',
    );
  }
  if (LONE_SURROGATE.test(key)) refuse('its name contains an unpaired UTF-16 surrogate');
  if (CONTROL.test(key)) refuse('its name contains a control character');
  if (key.split('/').some((segment) => segment === '.' || segment === '..')) {
    refuse('a path segment is "." or ".."');
  }
  return key;
}

function printable(key: string): string {
  const shown = key.length > 200 ? `${key.slice(0, 200)}…` : key;
  return shown.replace(
    new RegExp(CONTROL.source, 'g'),
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

/**
 * The CopySource header value: "bucket/key", the key URL-encoded per segment (RFC 3986, so
 * "#", "%", "+", "?", spaces and non-ASCII survive; S3 decodes it once).
 */
export function copySource(bucket: string, key: string): string {
  const encoded = key
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment).replace(
        /[!'()*]/g,
        (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
      ),
    )
    .join('/');
  return `${bucket}/${encoded}`;
}
