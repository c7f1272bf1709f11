import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { runInNewContext } from 'node:vm';
import ts from 'typescript';
import type { CloudSyncApi, IpcResult } from '../../src/shared/ipc.js';

const source = new URL('../../src/preload/preload.cts', import.meta.url);

/** Compiles the preload the way the build does (a .cts file becomes CommonJS). */
function compile(): string {
  const out = ts.transpileModule(readFileSync(source, 'utf8'), {
    fileName: 'preload.cts',
    compilerOptions: {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      verbatimModuleSyntax: true,
    },
  });
  return out.outputText;
}

/** Objects made inside the vm context have its own Object prototype: compare their data. */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

type Handler = (event: unknown, payload: unknown) => void;

/** Runs the preload like a sandboxed renderer: `require` knows 'electron' and nothing else. */
function load(answer: (channel: string, request: unknown) => IpcResult<unknown>) {
  const exposed: Record<string, unknown> = {};
  const listeners = new Map<string, Set<Handler>>();
  const invoked: Array<[string, unknown]> = [];
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
    ipcRenderer: {
      invoke: async (channel: string, request: unknown) => {
        invoked.push([channel, request]);
        return answer(channel, request);
      },
      on: (channel: string, h: Handler) =>
        listeners.set(channel, (listeners.get(channel) ?? new Set()).add(h)),
      removeListener: (channel: string, h: Handler) => listeners.get(channel)?.delete(h),
    },
  };
  const requireInSandbox = (name: string) => {
    if (name === 'electron') return electron;
    throw new Error(`a sandboxed preload cannot require ${name}`);
  };
  const module = { exports: {} };
  runInNewContext(compile(), { require: requireInSandbox, module, exports: module.exports });
  const emit = (channel: string, payload: unknown) =>
    listeners
      .get(channel)
      ?.forEach((h) => h({ sender: 'the event object stays in the preload' }, payload));
  return { api: exposed.cloudSync as CloudSyncApi, invoked, emit, listeners };
}

describe('the preload', () => {
  it('compiles to CommonJS that requires only electron', () => {
    const js = compile();
    assert.match(js, /require\("electron"\)/);
    assert.deepEqual(js.match(/require\(/g)?.length, 1);
    assert.doesNotMatch(js, /^import |^export /m);
  });

  it('exposes window.cloudSync with the contract’s methods, each on its channel', async () => {
    const { api, invoked } = load(() => ({ ok: true, value: true }));
    assert.deepEqual(Object.keys(api).sort(), [
      'authorize',
      'checkSettings',
      'fullResync',
      'getSettings',
      'getSnapshot',
      'onEvent',
      'onShow',
      'onStatus',
      'openLogFolder',
      'resolveMassDelete',
      'saveSettings',
      'setPaused',
      'syncNow',
      'version',
    ]);
    await api.syncNow();
    await api.fullResync();
    await api.setPaused(true);
    await api.resolveMassDelete(false);
    await api.authorize();
    assert.deepEqual(plain(invoked), [
      ['sync:start', { full: false }],
      ['sync:start', { full: true }],
      ['sync:pause', { paused: true }],
      ['mass-delete:resolve', { allow: false }],
      ['auth:start', null],
    ]);
  });

  it('unwraps answers and rejects with a plain {name, message, code}', async () => {
    const { api } = load((channel) =>
      channel === 'auth:start'
        ? {
            ok: false,
            error: { name: 'AuthError', message: 'sign-in failed', code: 'needs-authorization' },
          }
        : { ok: true, value: null },
    );
    assert.equal(await api.openLogFolder(), null);
    await assert.rejects(api.authorize(), (e: unknown) => {
      assert.deepEqual(plain(e), {
        name: 'AuthError',
        message: 'sign-in failed',
        code: 'needs-authorization',
      });
      return true;
    });
  });

  it('hands pushed payloads to listeners without the Electron event, and unsubscribes', () => {
    const { api, emit, listeners } = load(() => ({ ok: true, value: null }));
    const got: unknown[] = [];
    const off = api.onStatus((s) => got.push(s));
    emit('host:status', { paused: true });
    off();
    emit('host:status', { paused: false });
    assert.deepEqual(got, [{ paused: true }]);
    assert.equal(listeners.get('host:status')?.size, 0);
  });
});
