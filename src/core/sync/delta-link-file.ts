import { writeFileAtomic } from '../auth/atomic-file.js';

/** The original tool's file: `{"data_delta_link": url, "date_time": ISO}`. */
export interface DeltaLinkFile {
  data_delta_link: string;
  date_time: string;
}

/**
 * Mirrors the committed cursor into delta_link.json. The store holds the truth; the file stays
 * because users of the original tool delete it to ask for a full re-sync.
 */
export async function writeDeltaLinkFile(path: string, link: string, at: string): Promise<void> {
  const body: DeltaLinkFile = { data_delta_link: link, date_time: at };
  await writeFileAtomic(path, `${JSON.stringify(body, null, 2)}\n`);
}
