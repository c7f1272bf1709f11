/** Recent rounds: a small inline-SVG chart (bytes as bars, files as a line) and a short table. */
import type { RoundSummary } from '../src/shared/events.js';
import { formatBytes, formatCount } from '../src/shared/format.js';
import { byId, h, mount, svg } from './dom.js';
import type { Ui } from './main.js';

const W = 640;
const H = 170;
const M = { left: 56, right: 44, top: 12, bottom: 24 };
const CHART_ROUNDS = 20;
const TABLE_ROUNDS = 8;

/** Files a round changed in the bucket (what a person means by "files synced"). */
export const filesChanged = (r: RoundSummary): number =>
  r.uploaded + r.copied + r.metadataRewritten + r.deleted + r.trashed + r.adopted;

/** A round number to put at the top of an axis: 1, 2 or 5 times a power of ten. */
function niceMax(value: number): number {
  if (value <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(value));
  return ([1, 2, 5, 10].find((m) => m * p >= value) ?? 10) * p;
}

function chart(rounds: RoundSummary[], time: Ui['time']): SVGSVGElement {
  const data = rounds.slice(0, CHART_ROUNDS).reverse();
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const maxBytes = niceMax(Math.max(...data.map((r) => r.bytesUploaded)));
  const maxFiles = niceMax(Math.max(...data.map(filesChanged)));
  const step = plotW / Math.max(data.length, 1);
  const x = (i: number) => M.left + step * i + step / 2;
  const yBytes = (b: number) => M.top + plotH - (b / maxBytes) * plotH;
  const yFiles = (f: number) => M.top + plotH - (f / maxFiles) * plotH;
  const grid = [0, 0.5, 1].map((t) => {
    const y = M.top + plotH - t * plotH;
    return [
      svg('line', { class: 'grid', x1: M.left, x2: W - M.right, y1: y, y2: y }),
      svg(
        'text',
        { class: 'axis bytes', x: M.left - 6, y: y + 4, 'text-anchor': 'end' },
        formatBytes(maxBytes * t),
      ),
      svg('text', { class: 'axis files', x: W - M.right + 6, y: y + 4 }, formatCount(maxFiles * t)),
    ];
  });
  const bars = data.map((r, i) => {
    const top = yBytes(r.bytesUploaded);
    const height = Math.max(r.bytesUploaded > 0 ? 1.5 : 0, M.top + plotH - top);
    return svg(
      'rect',
      {
        class: `bar-bytes ${r.result}`,
        x: x(i) - step * 0.3,
        y: M.top + plotH - height,
        width: step * 0.6,
        height,
        rx: 2,
      },
      svg(
        'title',
        {},
        `Round ${r.roundId} · ${time.time(r.finishedAt)}: ${formatBytes(r.bytesUploaded)} uploaded, ${formatCount(filesChanged(r))} files changed, ${formatCount(r.failed)} failed`,
      ),
    );
  });
  const points = data.map((r, i) => `${x(i).toFixed(1)},${yFiles(filesChanged(r)).toFixed(1)}`);
  const dots = data.map((r, i) =>
    svg('circle', {
      class: `dot-files${r.failed > 0 ? ' failed' : ''}`,
      cx: x(i),
      cy: yFiles(filesChanged(r)),
      r: 3,
    }),
  );
  const labels = data.map((r, i) =>
    i === 0 || i === data.length - 1 || data.length <= 8
      ? svg('text', { class: 'axis', x: x(i), y: H - 6, 'text-anchor': 'middle' }, `#${r.roundId}`)
      : null,
  );
  return svg(
    'svg',
    {
      class: 'chart',
      viewBox: `0 0 ${W} ${H}`,
      role: 'img',
      'aria-label': `Bytes uploaded and files changed in the last ${data.length} rounds`,
    },
    ...grid.flat(),
    ...bars,
    data.length > 1 ? svg('polyline', { class: 'line-files', points: points.join(' ') }) : null,
    ...dots,
    ...labels,
  );
}

const RESULT_SHORT: Record<RoundSummary['result'], string> = {
  ok: 'OK',
  partial: 'Some failed',
  failed: 'Failed',
  cancelled: 'Stopped',
  'stopped-mass-delete': 'Held deletions',
};

function table(rounds: RoundSummary[], time: Ui['time']): HTMLElement {
  return h(
    'table',
    { class: 'rounds' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', {}, 'Finished'),
        h('th', {}, 'Result'),
        h('th', { class: 'num' }, 'Files'),
        h('th', { class: 'num' }, 'Uploaded'),
        h('th', { class: 'num' }, 'Failed'),
      ),
    ),
    h(
      'tbody',
      {},
      rounds
        .slice(0, TABLE_ROUNDS)
        .map((r) =>
          h(
            'tr',
            { 'data-round': r.roundId },
            h(
              'td',
              {},
              time.time(r.finishedAt),
              r.full ? h('span', { class: 'tag' }, 'full') : null,
            ),
            h('td', {}, h('span', { class: `badge ${r.result}` }, RESULT_SHORT[r.result])),
            h('td', { class: 'num' }, formatCount(filesChanged(r))),
            h('td', { class: 'num' }, formatBytes(r.bytesUploaded)),
            h('td', { class: `num${r.failed ? ' bad' : ''}` }, formatCount(r.failed)),
          ),
        ),
    ),
  );
}

export function renderHistory(ui: Ui): void {
  const rounds = ui.snap.engine.history.filter((r) => !r.dryRun);
  if (rounds.length === 0) {
    mount(
      byId('history'),
      h('h2', {}, 'History'),
      h('p', { class: 'muted' }, 'Finished rounds will appear here.'),
    );
    return;
  }
  mount(
    byId('history'),
    h(
      'h2',
      {},
      'History',
      h(
        'span',
        { class: 'legend' },
        h('span', { class: 'key bytes' }),
        'data uploaded',
        h('span', { class: 'key files' }),
        'files changed',
      ),
    ),
    chart(rounds, ui.time),
    table(rounds, ui.time),
  );
}
