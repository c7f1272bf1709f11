// The preload API as a stub, injected into the page before its scripts (as plain text, so no
// build step rewrites it). It records every call and lets the test push events, status and
// view changes to the window's listeners. checkSettings/saveSettings go to functions the test
// exposes, which run the real config validator in the test process.
/* global window */
// Called by the harness's injected text, never from this file.
// eslint-disable-next-line @typescript-eslint/no-unused-vars
function installStub(data) {
  const listeners = { event: [], status: [], show: [] };
  const calls = [];
  const record =
    (method, answer) =>
    (...args) => {
      calls.push({ method, args });
      return Promise.resolve(answer(...args));
    };
  const on = (kind) => (listener) => {
    listeners[kind].push(listener);
    return () => {
      listeners[kind] = listeners[kind].filter((l) => l !== listener);
    };
  };
  const viaTest = (method, exposed) => (form) => {
    calls.push({ method, args: [form] });
    return window[exposed](form);
  };
  window.cloudSync = Object.freeze({
    version: 1,
    getSnapshot: record('getSnapshot', () => structuredClone(data.snapshot)),
    syncNow: record('syncNow', () => true),
    fullResync: record('fullResync', () => data.confirm),
    setPaused: record('setPaused', () => null),
    resolveMassDelete: record('resolveMassDelete', () => data.confirm),
    authorize: record('authorize', () => null),
    openLogFolder: record('openLogFolder', () => null),
    getSettings: record('getSettings', () => structuredClone(data.settings)),
    checkSettings: viaTest('checkSettings', '__checkSettings'),
    saveSettings: viaTest('saveSettings', '__saveSettings'),
    onEvent: on('event'),
    onStatus: on('status'),
    onShow: on('show'),
  });
  window.__stub = {
    calls: () => calls,
    push: (kind, payload) => listeners[kind].forEach((l) => l(payload)),
  };
}
