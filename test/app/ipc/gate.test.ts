import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../../src/core/errors.js';
import { memoryLogger } from '../../../src/core/log/logger.js';
import {
  installIpcGate,
  passGate,
  trustWindows,
  type IpcHandlers,
  type IpcMainPort,
  type IpcSender,
} from '../../../src/app/ipc/gate.js';
import { emptyForm } from '../../../src/app/settings/fields.js';
import { INVOKE_CHANNELS } from '../../../src/shared/ipc.js';
import { snapshot } from '../snapshots.js';

function handlers(calls: string[]): IpcHandlers {
  const note = (name: string) => async () => {
    calls.push(name);
    return null;
  };
  return {
    'snapshot:get': async () => snapshot(),
    'sync:start': async (r) => {
      calls.push(`sync full=${r.full}`);
      return true;
    },
    'sync:pause': note('pause'),
    'mass-delete:resolve': async () => {
      calls.push('mass-delete');
      return true;
    },
    'auth:start': async () => {
      throw new ConfigError('/x/config.toml: onedrive.client_id: missing', {
        code: 'config-invalid',
      });
    },
    'logs:open': note('logs'),
    'settings:get': async () => {
      throw new Error('boom with client_secret="hunter2-secret"');
    },
    'settings:check': async () => ({ ok: true, warnings: [] }),
    'settings:save': async () => ({ ok: true, warnings: [] }),
  };
}

const window1: IpcSender = { id: 1, url: 'app://cloud-sync/renderer/index.html' };
const options = (logger = memoryLogger()) => ({ trusted: trustWindows(() => [1]), logger });

describe('IPC gate', () => {
  it('runs the handler for the app window with a valid payload', async () => {
    const calls: string[] = [];
    const result = await passGate(
      'sync:start',
      window1,
      { full: true },
      handlers(calls),
      options(),
    );
    assert.deepEqual(result, { ok: true, value: true });
    assert.deepEqual(calls, ['sync full=true']);
  });

  it('rejects a sender that is not the app window before any handler runs', async () => {
    const calls: string[] = [];
    const logger = memoryLogger();
    for (const sender of [
      { id: 2, url: 'app://cloud-sync/renderer/index.html' },
      { id: 1, url: 'https://evil.example/' },
      { id: 1, url: 'app://cloud-sync.evil.example/index.html' },
      { id: 1, url: 'file:///etc/passwd' },
      { id: 1, url: undefined },
    ]) {
      const result = await passGate(
        'sync:start',
        sender,
        { full: false },
        handlers(calls),
        options(logger),
      );
      assert.deepEqual(result, {
        ok: false,
        error: {
          name: 'IpcError',
          message: 'This page may not talk to cloud-sync.',
          code: 'ipc-forbidden-sender',
        },
      });
    }
    assert.deepEqual(calls, []);
    assert.equal(logger.lines.filter((l) => l.includes('refused')).length, 5);
  });

  it('rejects an invalid payload before any handler runs and says what is wrong', async () => {
    const calls: string[] = [];
    const cases: Array<[Parameters<typeof passGate>[0], unknown, RegExp]> = [
      ['sync:start', { full: 'yes' }, /full: expected true or false/],
      ['sync:start', { full: true, extra: 1 }, /unexpected key extra/],
      ['sync:start', null, /expected an object, got null/],
      ['sync:pause', [true], /expected an object, got an array/],
      ['logs:open', { path: '/etc' }, /expected no payload/],
      ['settings:save', { ...emptyForm(), flow: 'cloud' }, /flow: expected "desktop" or "web"/],
      ['settings:save', { ...emptyForm(), bucket: 42 }, /bucket: expected a string, got number/],
      [
        'settings:save',
        { ...emptyForm(), bucket: 'a\u0000b' },
        /bucket: contains control characters/,
      ],
      ['settings:check', { ...emptyForm(), prefix: 'x'.repeat(5000) }, /prefix: longer than 4096/],
      ['settings:check', { flow: 'desktop' }, /missing key/],
    ];
    for (const [channel, payload, reason] of cases) {
      const result = await passGate(channel, window1, payload, handlers(calls), options());
      assert.equal(result.ok, false, channel);
      assert.ok(!result.ok);
      assert.equal(result.error.code, 'ipc-invalid-payload');
      assert.match(result.error.message, reason);
    }
    assert.deepEqual(calls, []);
  });

  it('lets a full settings form through unchanged', async () => {
    const result = await passGate('settings:check', window1, emptyForm(), handlers([]), options());
    assert.deepEqual(result, { ok: true, value: { ok: true, warnings: [] } });
  });

  it('turns a handler error into {name, message, code} and redacts secrets from the message', async () => {
    const auth = await passGate('auth:start', window1, null, handlers([]), options());
    assert.deepEqual(auth, {
      ok: false,
      error: {
        name: 'ConfigError',
        message: '/x/config.toml: onedrive.client_id: missing',
        code: 'config-invalid',
      },
    });
    const other = await passGate('settings:get', window1, undefined, handlers([]), options());
    assert.ok(!other.ok);
    assert.deepEqual(Object.keys(other.error).sort(), ['code', 'message', 'name']);
    assert.ok(!other.error.message.includes('hunter2'), other.error.message);
  });

  it('registers exactly the contract channels and removes them again', async () => {
    const registered = new Map<string, (s: IpcSender, p: unknown) => Promise<unknown>>();
    const port: IpcMainPort = {
      handle: (c, l) => registered.set(c, l),
      removeHandler: (c) => registered.delete(c),
    };
    const calls: string[] = [];
    const dispose = installIpcGate(port, handlers(calls), options());
    assert.deepEqual([...registered.keys()].sort(), [...INVOKE_CHANNELS].sort());
    assert.deepEqual(await registered.get('sync:pause')?.(window1, { paused: true }), {
      ok: true,
      value: null,
    });
    assert.deepEqual(calls, ['pause']);
    dispose();
    assert.equal(registered.size, 0);
  });
});
