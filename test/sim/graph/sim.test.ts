import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { quickXorHash } from '../../../src/core/hash/quickxor.js';
import { startGraphSim, SIM_TOKEN, type GraphSim } from './index.js';

type Item = Record<string, unknown> & { id: string; name?: string };
interface Page {
  value: Item[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}
const auth = { authorization: `Bearer ${SIM_TOKEN}` };

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: auth });
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as T;
}

/** Follows nextLinks to the deltaLink; returns every page. */
async function drain(url: string): Promise<{ pages: Page[]; items: Item[]; deltaLink: string }> {
  const pages: Page[] = [];
  for (let link: string | undefined = url; link;) {
    const page: Page = await getJson<Page>(link);
    pages.push(page);
    if (page['@odata.deltaLink']) {
      return { pages, items: pages.flatMap((p) => p.value), deltaLink: page['@odata.deltaLink'] };
    }
    link = page['@odata.nextLink'];
  }
  throw new Error('feed ended without a deltaLink');
}

async function downloadUrl(sim: GraphSim, id: string): Promise<string> {
  const res = await fetch(`${sim.url}/me/drive/items/${id}/content`, {
    headers: auth,
    redirect: 'manual',
  });
  assert.equal(res.status, 302);
  return res.headers.get('location') as string;
}

let sim: GraphSim;
let clockMs = Date.UTC(2026, 0, 5, 12, 0, 0);
before(async () => {
  sim = await startGraphSim({ pageSize: 2, now: () => clockMs });
});
after(() => sim.close());

test('a full delta lists every item once in pages, ending with an opaque absolute deltaLink', async () => {
  sim.drive.addFile('Docs/a.txt', 'alpha');
  sim.drive.addFile('Docs/Sub/b.txt', 'bravo');
  sim.drive.addFile('empty.bin', Buffer.alloc(0));
  const { pages, items, deltaLink } = await drain(`${sim.url}/me/drive/root/delta`);
  assert.ok(pages.length >= 3);
  assert.ok(pages.slice(0, -1).every((p) => p['@odata.nextLink'] && !p['@odata.deltaLink']));
  assert.match(deltaLink, /^http:\/\/127\.0\.0\.1:\d+\/v1\.0\/me\/drive\/root\/delta\?token=/);
  assert.deepEqual(
    new Set(items.map((i) => i.name)),
    new Set(['root', 'Docs', 'a.txt', 'Sub', 'b.txt', 'empty.bin']),
  );
  assert.equal(items.length, 6);
  const a = items.find((i) => i.name === 'a.txt') as Item;
  assert.equal((a.parentReference as { path?: string }).path, undefined);
  assert.equal(
    (a.file as { hashes: { quickXorHash: string } }).hashes.quickXorHash,
    quickXorHash(Buffer.from('alpha')),
  );
  const empty = items.find((i) => i.name === 'empty.bin') as Item;
  assert.deepEqual((empty.file as { hashes: object }).hashes, {});
  assert.ok(items.find((i) => i.root));
});

test('$select narrows the properties and the nextLink keeps it', async () => {
  const { items } = await drain(`${sim.url}/me/drive/root/delta?$select=id,name&unknown=1`);
  assert.ok(items.length > 2);
  for (const item of items) assert.deepEqual(Object.keys(item).sort(), ['id', 'name']);
});

test('a renamed folder comes alone, without its descendants; deletions carry only the deleted facet', async () => {
  const { deltaLink } = await drain(`${sim.url}/me/drive/root/delta`);
  sim.drive.rename('Docs', 'Papers');
  sim.drive.delete('empty.bin');
  const { items, deltaLink: next } = await drain(deltaLink);
  const names = items.map((i) => i.name);
  assert.ok(names.includes('Papers'));
  assert.ok(!names.includes('a.txt') && !names.includes('Sub') && !names.includes('b.txt'));
  const gone = items.find((i) => i.name === 'empty.bin') as Item;
  assert.deepEqual(gone.deleted, {});
  assert.equal(gone.size, undefined);
  assert.equal(gone.cTag, undefined);
  assert.equal((await drain(next)).items.length, 0);
});

test('?token=latest gives no items and a cursor that sees later changes only', async () => {
  const page = await getJson<Page>(`${sim.url}/me/drive/root/delta?token=latest`);
  assert.deepEqual(page.value, []);
  sim.drive.addFile('late.txt', 'late');
  const { items } = await drain(page['@odata.deltaLink'] as string);
  assert.deepEqual(
    items.map((i) => i.name).filter((n) => n !== 'root'),
    ['late.txt'],
  );
});

test('a shuffled feed with repeats puts some children first and lists some ids twice, the last current', async () => {
  const s = await startGraphSim({ shuffleSeed: 7, repeat: 3 });
  try {
    for (let i = 0; i < 20; i++) s.drive.addFile(`F${i % 4}/file${i}.txt`, `v1 ${i}`);
    for (let i = 0; i < 20; i++) s.drive.editFile(`F${i % 4}/file${i}.txt`, `version two ${i}`);
    const { items } = await drain(`${s.url}/me/drive/root/delta`);
    const seen = new Map<string, number>();
    let childFirst = false;
    items.forEach((it, n) => {
      const parent = (it.parentReference as { id?: string }).id;
      if (parent && !seen.has(parent) && parent !== s.drive.root.id) childFirst = true;
      seen.set(it.id, n);
    });
    assert.ok(childFirst);
    assert.equal(items.length, s.drive.files().length + 5 + 3);
    const last = new Map(items.map((i) => [i.id, i]));
    for (const f of s.drive.files()) assert.equal((last.get(f.id) as Item).size, f.size);
  } finally {
    await s.close();
  }
});

test('downloads redirect to a URL that refuses Authorization, serves ranges, and expires', async () => {
  const file = sim.drive.addFile('range.bin', { size: 100_000, seed: 1 });
  const whole = await (file.content as { read(): Promise<Buffer> }).read();
  const url = await downloadUrl(sim, file.id);
  assert.equal((await fetch(url, { headers: auth })).status, 401);
  const ranged = await fetch(url, { headers: { range: 'bytes=1000-1999' } });
  assert.equal(ranged.status, 206);
  assert.equal(ranged.headers.get('content-range'), 'bytes 1000-1999/100000');
  assert.deepEqual(Buffer.from(await ranged.arrayBuffer()), whole.subarray(1000, 2000));
  sim.faults.ignoreRange();
  const ignored = await fetch(url, { headers: { range: 'bytes=5000-' } });
  assert.equal(ignored.status, 200);
  assert.deepEqual(Buffer.from(await ignored.arrayBuffer()), whole);
  clockMs += 301_000;
  assert.equal((await fetch(url)).status, 401);
  assert.equal((await fetch(await downloadUrl(sim, file.id))).status, 200);
});

test('a download reset after K bytes is counted; a complete one counts once', async () => {
  const file = sim.drive.addFile('reset.bin', { size: 300_000, seed: 2 });
  sim.counters.reset();
  sim.faults.resetAfter({ bytes: 70_000, itemId: file.id });
  const res = await fetch(await downloadUrl(sim, file.id));
  await assert.rejects(res.arrayBuffer());
  assert.equal(sim.counters.bytesServed(file.id), 70_000);
  assert.equal(sim.counters.completeDownloads(file.id), 0);
  const tail = await fetch(await downloadUrl(sim, file.id), { headers: { range: 'bytes=70000-' } });
  assert.equal((await tail.arrayBuffer()).byteLength, 230_000);
  assert.equal(sim.counters.bytesServed(file.id), 300_000);
  assert.equal(sim.counters.completeDownloads(file.id), 1);
  assert.deepEqual(
    sim.counters.requests.map((r) => r.route),
    ['content', 'download', 'content', 'download'],
  );
});

test('throttle, gone and auth faults answer like Graph', async () => {
  sim.faults.throttle({ route: 'delta', status: 503, retryAfter: 3 });
  const throttled = await fetch(`${sim.url}/me/drive/root/delta`, { headers: auth });
  assert.equal(throttled.status, 503);
  assert.equal(throttled.headers.get('retry-after'), '3');

  sim.faults.gone({ code: 'resyncChangesUploadDifferences' });
  const gone = await fetch(sim.latestDeltaLink(), { headers: auth });
  assert.equal(gone.status, 410);
  assert.equal(
    ((await gone.json()) as { error: { code: string } }).error.code,
    'resyncChangesUploadDifferences',
  );
  const fresh = await drain(gone.headers.get('location') as string);
  assert.equal(fresh.items.length, sim.drive.live().length);

  const none = await fetch(`${sim.url}/me/drive/root/delta`);
  assert.equal(none.status, 401);
  assert.equal(
    ((await none.json()) as { error: { code: string } }).error.code,
    'InvalidAuthenticationToken',
  );
  sim.revokeAll();
  assert.equal((await fetch(`${sim.url}/me/drive/root/delta`, { headers: auth })).status, 401);
  sim.acceptToken(SIM_TOKEN);
});

test('generated content is the same bytes from any offset, and its hash matches them', async () => {
  const file = sim.drive.addFile('gen.bin', { size: 5_000_003, seed: 'x' });
  const content = file.content as NonNullable<typeof file.content>;
  const whole = await content.read();
  assert.equal(whole.length, 5_000_003);
  assert.equal(content.quickXorHash, quickXorHash(whole));
  const parts: Buffer[] = [];
  for await (const chunk of content.stream(1_234_567, 1_300_001)) parts.push(chunk as Buffer);
  assert.deepEqual(Buffer.concat(parts), whole.subarray(1_234_567, 1_300_001));
});

test('a deleted folder lists its descendants as tombstones, or comes alone when asked', async () => {
  for (const alone of [false, true]) {
    const s = await startGraphSim({ deletedFolderAlone: alone });
    try {
      s.drive.addFile('Trip/day1/p.jpg', 'p');
      s.drive.addFile('Trip/q.jpg', 'q');
      const link = s.latestDeltaLink();
      s.drive.delete('Trip');
      const res = await fetch(link, { headers: auth });
      const { value } = (await res.json()) as Page;
      const deleted = value
        .filter((i) => i.deleted)
        .map((i) => i.name)
        .sort();
      assert.deepEqual(deleted, alone ? ['Trip'] : ['Trip', 'day1', 'p.jpg', 'q.jpg']);
      assert.equal(s.drive.byPath('Trip/q.jpg'), undefined);
    } finally {
      await s.close();
    }
  }
});
