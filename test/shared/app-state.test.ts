import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyEngineView, reduceEngine, type EngineView } from '../../src/shared/app-state.js';
import type { EngineEvent } from '../../src/shared/events.js';
import { recording } from '../fixtures/events/load.js';

const replay = (events: EngineEvent[], from: EngineView = emptyEngineView()): EngineView =>
  events.reduce(reduceEngine, from);

describe('reduceEngine over recorded engine events', () => {
  it('follows a round in flight: full flag, counts and files in flight', () => {
    const events = recording('first-sync');
    const cut = events.findIndex(
      (e) => e.type === 'progress' && e.inFlight.length > 0 && e.counts.filesDone > 2,
    );
    const view = replay(events.slice(0, cut + 1));
    assert.equal(view.phase, 'transferring');
    assert.equal(view.current?.full, true, 'the first round turns out to be full');
    assert.ok((view.current?.counts.filesTotal ?? 0) > 30);
    assert.ok((view.current?.inFlight.length ?? 0) > 0);
  });

  it('ends a round with no current round, a history entry and the unresolved failure', () => {
    const view = replay(recording('first-sync'));
    assert.equal(view.phase, 'idle');
    assert.equal(view.current, undefined);
    assert.equal(view.history[0]?.result, 'partial');
    assert.deepEqual(
      view.errors.map((e) => e.path),
      ['Shared/locked-by-another-app.xlsx'],
    );
    assert.equal(view.throttled?.service, 'graph');
  });

  it('drops a failure once the same file succeeds in a later round', () => {
    const view = replay(recording('changes'), replay(recording('first-sync')));
    assert.deepEqual(view.errors, []);
    assert.deepEqual(
      view.history.map((h) => h.roundId),
      [2, 1],
    );
  });

  it('holds the mass-delete stop until the next round starts listing', () => {
    const stopped = replay(recording('mass-delete'), replay(recording('first-sync')));
    assert.equal(stopped.phase, 'waiting-confirmation');
    assert.equal(stopped.massDelete?.wouldDelete, 10);
    assert.equal(stopped.massDelete?.limit, 5);
    const next = reduceEngine(stopped, {
      type: 'phase',
      v: 1,
      at: new Date().toISOString(),
      phase: 'listing',
      roundId: 4,
    });
    assert.equal(next.massDelete, undefined);
  });

  it('replaying an event twice changes nothing (the window may see one both in its snapshot and live)', () => {
    const events = recording('first-sync');
    const once = replay(events);
    const twice = replay(events, once);
    assert.deepEqual(twice.history, once.history);
    assert.deepEqual(twice.errors, once.errors);
  });

  it('caps the history and keeps it newest first', () => {
    const [finished] = recording('changes').filter((e) => e.type === 'round-finished');
    assert.ok(finished && finished.type === 'round-finished');
    let view = emptyEngineView();
    for (let i = 1; i <= 40; i++)
      view = reduceEngine(view, { ...finished, summary: { ...finished.summary, roundId: i } });
    assert.equal(view.history.length, 30);
    assert.equal(view.history[0]?.roundId, 40);
  });
});
