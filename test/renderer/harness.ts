// Runs the real window (dist/renderer, built here) in headless Chromium over the same
// file-serving code as the app:// protocol (CSP header included), with `window.cloudSync`
// replaced by a stub that records calls and lets the test push engine events into the page.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { serveAppFile } from '../../src/app/app-protocol.js';
import type { AppSnapshot, HostStatus } from '../../src/shared/app-state.js';
import type { EngineEvent } from '../../src/shared/events.js';
import type { SettingsCheck, SettingsForm, SettingsLoad, View } from '../../src/shared/ipc.js';

// Code handed to page.evaluate runs in the page. These module-local declarations type what it
// touches there, without pulling the DOM library into the Node test program.
interface StubHandle {
  push(kind: string, payload: unknown): void;
  calls(): StubCall[];
}
declare const window: { __stub: StubHandle; scrollTo(x: number, y: number): void };
declare const document: { documentElement: { scrollHeight: number } };
declare function requestAnimationFrame(callback: () => void): number;

const root = new URL('../../', import.meta.url).pathname;
export const SCREENS = join(root, 'test-artifacts', 'screens');

/** Compiles renderer/ into a private folder once per test process (a few seconds). */
let built: string | undefined;
function buildRenderer(): string {
  if (built) return built;
  const out = mkdtempSync(join(tmpdir(), 'cloud-sync-window-'));
  execFileSync(process.execPath, [join(root, 'scripts', 'copy-renderer.mjs'), out], {
    stdio: 'inherit',
  });
  built = out;
  return out;
}

interface Shared {
  browser: Browser;
  server: Server;
  origin: string;
}
let shared: Promise<Shared> | undefined;

/** Call once at the top of a test file: the browser and server then close when the file ends. */
export function closeWindowsAfterAll(): void {
  after(async () => {
    if (!shared) return;
    const { browser, server } = await shared;
    await browser.close();
    server.close();
    if (built) rmSync(built, { recursive: true, force: true });
  });
}

async function start(): Promise<Shared> {
  const served = buildRenderer();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    void serveAppFile(req.method ?? 'GET', url.pathname, served).then((r) => {
      res.writeHead(r.status, r.headers).end(r.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  return { browser, server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

export interface StubCall {
  method: string;
  args: unknown[];
}

export interface WindowOptions {
  snapshot: AppSnapshot;
  settings?: SettingsLoad;
  /** Answers checkSettings/saveSettings in the test process (the real validator). */
  check?: (form: SettingsForm) => SettingsCheck;
  save?: (form: SettingsForm) => SettingsCheck;
  /** What fullResync / resolveMassDelete answer (the person's choice in main's dialog). */
  confirm?: boolean;
  colorScheme?: 'light' | 'dark';
  width?: number;
}

export interface TestWindow {
  page: Page;
  calls(): Promise<StubCall[]>;
  emit(events: EngineEvent[]): Promise<void>;
  status(status: HostStatus): Promise<void>;
  show(view: View): Promise<void>;
  screenshot(name: string): Promise<string>;
  /** Console errors and CSP violations seen so far. */
  problems: string[];
}

/** The stub of the preload API (plain JS, injected as text before the page's own scripts). */
const STUB = readFileSync(new URL('./preload-stub.js', import.meta.url), 'utf8');

export async function openWindow(options: WindowOptions): Promise<TestWindow> {
  shared ??= start();
  const { browser, origin } = await shared;
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1000, height: 760 },
    colorScheme: options.colorScheme ?? 'light',
    deviceScaleFactor: 1,
  });
  after(() => context.close());
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.exposeFunction(
    '__checkSettings',
    (form: SettingsForm) => options.check?.(form) ?? { ok: true, warnings: [] },
  );
  await page.exposeFunction(
    '__saveSettings',
    (form: SettingsForm) => options.save?.(form) ?? { ok: true, warnings: [] },
  );
  const data = {
    snapshot: options.snapshot,
    settings: options.settings,
    confirm: options.confirm ?? true,
  };
  await page.addInitScript({ content: `${STUB}\ninstallStub(${JSON.stringify(data)});` });
  await page.goto(`${origin}/renderer/index.html`);
  await page
    .waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: 10_000 })
    .catch((error: unknown) => {
      throw new Error(`the window did not start: ${problems.join(' | ')}`, { cause: error });
    });
  const push = (kind: string, payload: unknown) =>
    page.evaluate(([k, p]) => window.__stub.push(k, p), [kind, payload] as const);
  return {
    page,
    problems,
    calls: () => page.evaluate(() => window.__stub.calls()),
    async emit(events) {
      await page.evaluate((list) => {
        for (const e of list) window.__stub.push('event', e);
      }, events);
      await settle(page);
    },
    async status(status) {
      await push('status', status);
      await settle(page);
    },
    async show(view) {
      await push('show', view);
      await settle(page);
    },
    async screenshot(name) {
      mkdirSync(SCREENS, { recursive: true });
      const path = join(SCREENS, `${name}.png`);
      // Grow the viewport to the whole page instead of a fullPage capture, so sticky bars sit
      // where a person sees them rather than wherever the page happened to be scrolled.
      const size = page.viewportSize() ?? { width: 1000, height: 760 };
      await page.evaluate(() => window.scrollTo(0, 0));
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      await page.setViewportSize({ width: size.width, height: Math.max(size.height, height) });
      await settle(page);
      await page.screenshot({ path, animations: 'disabled' });
      await page.setViewportSize(size);
      return path;
    },
  };
}

/** Waits for the window's batched render (one animation frame) to land. */
export async function settle(page: Page): Promise<void> {
  await page.evaluate(
    () => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(r))),
  );
}
