/**
 * Edits config.toml by patching lines, so the user's comments and layout survive a save from
 * the Settings form. `key = value` lines are replaced in place (an inline comment on such a
 * line is lost), missing keys are added at the end of their section, missing sections at the
 * end of the file. Callers verify the result by parsing it (see settings-service.ts) and fall
 * back to a full rewrite when a value was written in a form line patching can't handle
 * (multi-line arrays or strings, dotted keys, inline tables).
 */
export type TomlScalar = string | number | boolean | readonly string[];

export interface TomlEdit {
  section: string;
  key: string;
  /** undefined removes the key. */
  value: TomlScalar | undefined;
}

/** JSON string escapes are all valid TOML basic-string escapes. */
export function tomlValue(value: TomlScalar): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const isHeader = (line: string): boolean => /^\s*\[/.test(line);

interface Span {
  header: number;
  end: number;
}

function findSection(lines: string[], section: string): Span | undefined {
  const re = new RegExp(`^\\s*\\[\\s*["']?${escapeRe(section)}["']?\\s*\\]\\s*(#.*)?$`);
  const header = lines.findIndex((l) => re.test(l));
  if (header < 0) return undefined;
  let end = header + 1;
  while (end < lines.length && !isHeader(lines[end] ?? '')) end++;
  return { header, end };
}

function findKey(lines: string[], span: Span, key: string): number {
  const re = new RegExp(`^\\s*["']?${escapeRe(key)}["']?\\s*=`);
  for (let i = span.header + 1; i < span.end; i++) if (re.test(lines[i] ?? '')) return i;
  return -1;
}

const isTrivia = (line: string): boolean => /^\s*(#.*)?$/.test(line);

/**
 * Where a section's own lines end: blank and comment lines just before the next header are
 * taken to introduce that next section, so nothing is inserted or removed among them.
 */
function bodyEnd(lines: string[], span: Span): number {
  let end = span.end;
  while (end > span.header + 1 && isTrivia(lines[end - 1] ?? '')) end--;
  return end;
}

function applyEdit(lines: string[], edit: TomlEdit): void {
  const span = findSection(lines, edit.section);
  const line = edit.value === undefined ? undefined : `${edit.key} = ${tomlValue(edit.value)}`;
  if (!span) {
    if (line === undefined) return;
    while (lines.length && (lines[lines.length - 1] ?? '').trim() === '') lines.pop();
    if (lines.length) lines.push('');
    lines.push(`[${edit.section}]`, line);
    return;
  }
  const at = findKey(lines, span, edit.key);
  if (at >= 0) {
    if (line === undefined) lines.splice(at, 1);
    else lines[at] = `${/^\s*/.exec(lines[at] ?? '')?.[0] ?? ''}${line}`;
    return;
  }
  if (line === undefined) return;
  lines.splice(bodyEnd(lines, span), 0, line);
}

export function patchToml(text: string, edits: readonly TomlEdit[]): string {
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text === '' ? [] : text.split(/\r?\n/);
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  for (const edit of edits) applyEdit(lines, edit);
  return lines.join(newline) + newline;
}

/** Removes a whole `[section]` (its header and every line up to the next header). */
export function removeSection(text: string, section: string): string {
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  const span = findSection(lines, section);
  if (!span) return text;
  lines.splice(span.header, bodyEnd(lines, span) - span.header);
  return lines.join(newline);
}
