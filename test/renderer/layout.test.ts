import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { EngineEvent } from '../../src/shared/events.js';
import { snapshot } from '../app/snapshots.js';
import { recording } from '../fixtures/events/load.js';
import { closeWindowsAfterAll, openWindow } from './harness.js';

closeWindowsAfterAll();

// What the code run in the page touches (module-local: no DOM library in the Node program).
interface PageElement {
  scrollHeight: number;
  clientHeight: number;
  scrollWidth: number;
  clientWidth: number;
  textContent: string | null;
  querySelector(selector: string): PageElement | null;
}
declare const document: {
  documentElement: PageElement;
  querySelector(selector: string): PageElement | null;
};

const fresh = () => snapshot({ history: [] }, { nextRunAt: undefined });

/** The recorded first round up to a moment with several files in flight. */
function busy(): EngineEvent[] {
  const events = recording('first-sync');
  const cut = events.findIndex(
    (e) => e.type === 'progress' && e.inFlight.length >= 3 && e.counts.filesDone >= 9,
  );
  return events.slice(0, cut + 1);
}

/** 150 failures shaped like the recorded one, with deep, long paths. */
function manyFailures(): EngineEvent[] {
  const recorded = recording('first-sync').find((e) => e.type === 'item-error');
  assert.ok(recorded && recorded.type === 'item-error');
  return Array.from({ length: 150 }, (_, i) => ({
    ...recorded,
    failure: {
      ...recorded.failure,
      path: `Archive/${'Very long folder name that goes on and on/'.repeat(4)}scan-${i}-${'x'.repeat(80)}.pdf`,
      hint:
        i % 2 ? 'Close the file in the other application; the next sync tries again.' : undefined,
    },
  })) as EngineEvent[];
}

const overflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe('the window’s layout', () => {
  it('keeps long paths and many errors inside a narrow window: no sideways scroll, errors scroll', async () => {
    const w = await openWindow({ snapshot: fresh(), width: 600 });
    await w.emit([...busy(), ...manyFailures()]);
    await w.screenshot('9-narrow-long-paths-many-errors');
    const { page } = w;
    assert.equal(await overflow(page), 0, 'nothing sticks out sideways');
    const list = await page.evaluate(() => {
      const ul = document.querySelector('ul.errors') as PageElement;
      return { scroll: ul.scrollHeight, client: ul.clientHeight };
    });
    assert.ok(list.scroll > list.client * 3, 'the errors list scrolls within its card');
    assert.ok(list.client <= 340);
    // In flight, the folder part gives way before the file name is cut at all.
    const rows = await page.locator('.flight .path').evaluateAll((paths: PageElement[]) =>
      paths.map((p) => {
        const name = p.querySelector('.name') as PageElement;
        const dir = p.querySelector('.dir');
        const cut = name.scrollWidth > name.clientWidth + 1;
        const charWidth = name.scrollWidth / (name.textContent ?? ' ').length;
        return { cut, dirChars: dir ? dir.clientWidth / charWidth : 0 };
      }),
    );
    assert.ok(rows.some((r) => !r.cut));
    for (const r of rows)
      if (r.cut) assert.ok(r.dirChars <= 3, `folder shrunk first (${r.dirChars} chars left)`);
  });

  it('looks right in dark mode too', async () => {
    const w = await openWindow({ snapshot: fresh(), colorScheme: 'dark' });
    await w.emit([
      ...recording('first-sync'),
      ...recording('changes'),
      ...recording('history'),
      ...busy().map((e) => ('roundId' in e ? { ...e, roundId: 99 } : e)),
    ]);
    assert.equal(await overflow(w.page), 0);
    await w.screenshot('10-dark-syncing-with-history');
  });
});

describe('the window’s security', () => {
  it('gets its Content-Security-Policy as a header and a meta tag, and blocks inline script', async () => {
    const w = await openWindow({ snapshot: fresh() });
    const { page } = w;
    const response = await page.request.get(page.url());
    assert.match(
      response.headers()['content-security-policy'] ?? '',
      /default-src 'none'; script-src 'self'/,
    );
    assert.match(
      (await page.getAttribute('meta[http-equiv=Content-Security-Policy]', 'content')) ?? '',
      /script-src 'self'/,
    );
    const ran = await page.evaluate(`(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inline = 1';
      document.body.append(s);
      return window.__inline === 1;
    })()`);
    assert.equal(ran, false, 'inline script is refused');
    const styled = await page.evaluate(`(() => {
      const d = document.createElement('div');
      d.setAttribute('style', 'width: 123px');
      document.body.append(d);
      return d.getBoundingClientRect().width === 123;
    })()`);
    assert.equal(styled, false, 'inline style attributes are refused');
    assert.ok(
      w.problems.some((p) => /Content Security Policy/i.test(p)),
      'the refusals are CSP violations',
    );
  });

  it('loads with no console errors and touches nothing but window.cloudSync', async () => {
    const w = await openWindow({ snapshot: fresh() });
    await w.emit(recording('first-sync'));
    assert.deepEqual(w.problems, []);
    const nodeGlobals = await w.page.evaluate(
      "[typeof window.require, typeof window.process, typeof window.module, typeof window.cloudSync].join(',')",
    );
    assert.equal(nodeGlobals, 'undefined,undefined,undefined,object');
  });
});
