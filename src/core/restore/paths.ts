import { isAbsolute, relative, resolve, sep } from 'node:path';

/** Where a key lands below the restore folder, or why it may not land anywhere. */
export type KeyPath = { ok: true; relative: string } | { ok: false; reason: string };

// Windows cannot hold these in a name, nor names like CON or COM1 (with any extension), nor
// names ending in a dot or space.
// eslint-disable-next-line no-control-regex -- control characters are exactly what Windows refuses
const WINDOWS_FORBIDDEN = /[<>:"|?*\u0000-\u001f]/;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
/** NAME_MAX on Linux and macOS; Windows counts UTF-16 units but allows 255 as well. */
const MAX_NAME_BYTES = 255;

/**
 * Maps an S3 key to a relative local path below the configured prefix. A bucket is not trusted
 * input: keys with `..` or `.` segments, absolute paths, backslashes, NUL, empty segments or
 * names this platform cannot hold are refused, so nothing is ever written outside the folder.
 */
export function keyToPath(
  key: string,
  prefix: string,
  platform: NodeJS.Platform = process.platform,
): KeyPath {
  if (!key.startsWith(prefix)) return refuse(`is not below the prefix "${prefix}"`);
  const rest = key.slice(prefix.length);
  if (rest === '') return refuse('is the prefix itself, not a file');
  if (rest.includes('\0')) return refuse('contains a NUL character');
  if (rest.includes('\\'))
    return refuse('contains a backslash, which would be read as a folder separator');
  if (rest.startsWith('/')) return refuse('is an absolute path');
  if (/^[a-zA-Z]:/.test(rest)) return refuse('starts with a drive letter');
  const segments = rest.split('/');
  for (const segment of segments) {
    if (segment === '..') return refuse('has a ".." segment that would leave the restore folder');
    if (segment === '.') return refuse('has a "." segment');
    if (segment === '') return refuse('has an empty path segment ("//")');
    if (Buffer.byteLength(segment) > MAX_NAME_BYTES) {
      return refuse(`has a name longer than ${MAX_NAME_BYTES} bytes`);
    }
    if (platform === 'win32') {
      if (WINDOWS_FORBIDDEN.test(segment))
        return refuse(`has a character Windows cannot hold in "${segment}"`);
      if (WINDOWS_RESERVED.test(segment))
        return refuse(`uses the reserved Windows name "${segment}"`);
      if (/[. ]$/.test(segment))
        return refuse(`has a name ending in a dot or space ("${segment}")`);
    }
  }
  return { ok: true, relative: segments.join(sep) };

  function refuse(why: string): KeyPath {
    return { ok: false, reason: `key ${JSON.stringify(key)} ${why}; refused` };
  }
}

/** The absolute path for a checked relative path; throws if it would still escape `root`. */
export function insideRoot(root: string, rel: string): string {
  const target = resolve(root, rel);
  const back = relative(resolve(root), target);
  if (back === '' || back.startsWith('..') || isAbsolute(back)) {
    throw new RangeError(`${JSON.stringify(rel)} resolves outside ${root}`);
  }
  return target;
}
