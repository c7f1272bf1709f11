/**
 * smol-toml reports positions only for syntax errors, so for messages about a valid-TOML but
 * wrong value we find the line of `key =` inside `[section]` ourselves.
 */
export function locateKey(text: string, section: string, key?: string): number | undefined {
  const lines = text.split(/\r?\n/);
  let current = '';
  let sectionLine: number | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    const header = /^\[\s*([^\]]+?)\s*\]/.exec(line);
    if (header) {
      current = (header[1] ?? '').replace(/["']/g, '');
      if (current === section && sectionLine === undefined) sectionLine = i + 1;
      continue;
    }
    if (current !== section || key === undefined) continue;
    const assignment = /^["']?([^"'=\s]+)["']?\s*=/.exec(line);
    if (assignment?.[1] === key) return i + 1;
  }
  return key === undefined ? sectionLine : undefined;
}
