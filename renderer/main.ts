/**
 * The window: loads one snapshot from main, then follows the engine's events as main pushes
 * them (the same reducer the tray uses). It never polls and has no Node: all it can do is
 * call `window.cloudSync`.
 */
import { reduceEngine, withoutMassDelete, type AppSnapshot } from '../src/shared/app-state.js';
import type { EngineEvent } from '../src/shared/events.js';
import { timeFormat, type TimeFormat } from '../src/shared/format.js';
import type { View } from '../src/shared/ipc.js';
import { api, errorText } from './api.js';
import { renderDashboard } from './dashboard.js';
import { renderHeader } from './header.js';
import { byId } from './dom.js';
import { openSettings } from './settings.js';

export interface Flash {
  kind: 'error' | 'info';
  text: string;
}

/** What every view gets: the state, and the few things it may do. */
export interface Ui {
  snap: AppSnapshot;
  time: TimeFormat;
  now(): number;
  isBusy(task: string): boolean;
  /** Runs an API call as a named task: its button is disabled meanwhile, failures are shown. */
  run(task: string, call: () => Promise<unknown>): void;
  flash: Flash | undefined;
  setFlash(flash: Flash | undefined): void;
  show(view: View): void;
  dismissMassDelete(): void;
  reload(): Promise<void>;
}

const now = (): number => Date.now();
const busy = new Set<string>();
let view: View = 'dashboard';
let pending = false;
let flash: Flash | undefined;
let snap: AppSnapshot | undefined;

function render(): void {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => {
    pending = false;
    if (!snap) return;
    renderHeader(ui(), view);
    if (view === 'dashboard') renderDashboard(ui());
  });
}

function ui(): Ui {
  if (!snap) throw new Error('no snapshot yet');
  return {
    snap,
    time,
    now,
    isBusy: (task) => busy.has(task),
    run(task, call) {
      busy.add(task);
      render();
      call()
        .catch((error: unknown) => {
          flash = { kind: 'error', text: errorText(error) };
        })
        .finally(() => {
          busy.delete(task);
          render();
        });
    },
    flash,
    setFlash(next) {
      flash = next;
      render();
    },
    show,
    dismissMassDelete() {
      if (snap) snap = { ...snap, engine: withoutMassDelete(snap.engine) };
      render();
    },
    reload,
  };
}

const time: TimeFormat = timeFormat(now);

function show(next: View): void {
  view = next;
  byId('dashboard').hidden = next !== 'dashboard';
  byId('settings').hidden = next !== 'settings';
  document.body.dataset.view = next;
  if (next === 'settings' && snap) void openSettings(ui());
  render();
}

async function reload(): Promise<void> {
  snap = await api().getSnapshot();
  render();
}

async function start(): Promise<void> {
  const early: EngineEvent[] = [];
  // Subscribe before asking for the snapshot so nothing falls between the two; replaying an
  // event the snapshot already holds is harmless (the reducer is idempotent per round/path).
  api().onEvent((event) => {
    if (!snap) early.push(event);
    else {
      snap = { ...snap, engine: reduceEngine(snap.engine, event) };
      render();
    }
  });
  api().onStatus((status) => {
    if (snap) snap = { ...snap, status };
    render();
  });
  api().onShow(show);
  snap = await api().getSnapshot();
  for (const event of early.splice(0)) snap = { ...snap, engine: reduceEngine(snap.engine, event) };
  document.body.dataset.ready = 'true';
  show(snap.status.configured ? 'dashboard' : 'settings');
}

void start().catch((error: unknown) => {
  byId('headline').textContent = `The window could not load: ${errorText(error)}`;
});
