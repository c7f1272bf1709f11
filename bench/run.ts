// `npm run bench [-- B3 B4] [-- --cpu-prof]`: runs the benchmark scenarios (see README,
// "Benchmarks"), each in a child process of its own, against moto and the Graph simulator
// (also in processes of their own), prints the table and writes bench/results/latest.json.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMoto } from '../scripts/moto.mjs';
import { machine } from './machine.js';
import type { ScenarioResult } from './measure.js';
import { render, type BenchReport } from './report.js';
import { resetMoto } from './scenarios/common.js';
import { GROUPS } from './scenarios/index.js';
import { RemoteSim, startSimHost } from './sim-remote.js';

const CHILD_TIMEOUT_MS = 6 * 60_000;
/** The whole run must end within 10 minutes here; repetitions stop short of this. */
const BUDGET_MS = 9.5 * 60_000;
const here = new URL('.', import.meta.url).pathname;

const args = process.argv.slice(2);
/** Flags for the scenario processes, e.g. --cpu-prof (profiles land in bench/results/). */
const nodeFlags = args.filter((a) => a.startsWith('--'));
const wanted = new Set(args.filter((a) => !a.startsWith('--')).map((a) => a.toUpperCase()));
const selected = (id: string) => wanted.size === 0 || wanted.has(id.toUpperCase());
const known = new Set(GROUPS.flatMap((g) => g.steps.map((s) => s.id.toUpperCase())));
for (const id of wanted) {
  if (!known.has(id)) {
    process.stderr.write(`unknown scenario ${id}; known: ${[...known].join(', ')}\n`);
    process.exit(2);
  }
}

// The SDK's notice that it will need Node 22 from 2027 would repeat in every process.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const log = (text: string) => process.stderr.write(`[bench] ${text}\n`);
const resultsDir = join(here, 'results');
mkdirSync(resultsDir, { recursive: true });

async function runChild(id: string, env: Record<string, string>): Promise<ScenarioResult> {
  const out = join(env.BENCH_DIR as string, `${id}.json`);
  rmSync(out, { force: true });
  const profile = nodeFlags.some((f) => f.startsWith('--cpu-prof') || f.startsWith('--heap-prof'))
    ? [`--diagnostic-dir=${resultsDir}`]
    : [];
  const child = spawn(
    process.execPath,
    [...nodeFlags, ...profile, '--import', 'tsx', join(here, 'scenario.ts'), id],
    { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...env, BENCH_OUT: out } },
  );
  const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  if (code === 0 && existsSync(out)) return JSON.parse(readFileSync(out, 'utf8')) as ScenarioResult;
  return {
    id,
    title: 'did not finish',
    wallS: 0,
    peakRssMB: 0,
    rssScope: 'process',
    metrics: {},
    s3: {},
    graph: { byRoute: {}, bytesServed: 0 },
    checks: [],
    notes: [],
    problems: [code === null ? `killed after ${CHILD_TIMEOUT_MS / 1000} s` : `exited with ${code}`],
  };
}

/** moto's pid (scripts/moto.mjs does not say), to read its CPU time: the exact command line. */
function motoPid(port: number): string {
  try {
    const out = execFileSync('pgrep', ['-f', `moto\\.server -H 127\\.0\\.0\\.1 -p ${port}$`], {
      encoding: 'utf8',
    });
    return out.trim().split('\n')[0] ?? '';
  } catch {
    return '';
  }
}

const started = process.hrtime.bigint();
const startedAt = Date.now();
const report: BenchReport = { machine: machine(), totalS: 0, results: [] };
log(`starting moto; load average ${report.machine.loadStart}`);
const moto = await startMoto();
const BENCH_MOTO_PID = motoPid(moto.port);
const work = mkdtempSync(join(tmpdir(), 'cloud-sync-bench-'));
try {
  const runs = GROUPS.filter((g) => g.steps.some((s) => !s.setup && selected(s.id)));
  for (const [index, group] of runs.entries()) {
    const steps = group.steps.filter((s) => s.setup || selected(s.id));
    // What the groups after this one may need: a scenario repeats its measurements only while
    // the run can still end within the budget.
    const later = runs.slice(index + 1).reduce((sum, g) => sum + g.budgetS * 1000, 0);
    const deadline = startedAt + BUDGET_MS - later;
    await resetMoto(moto.endpoint);
    const host = await startSimHost();
    try {
      const sim = new RemoteSim(host.env.BENCH_SIM_URL, host.env.BENCH_SIM_CONTROL);
      const built = await sim.build(group.drives);
      const files = built.totals.reduce((n, t) => n + t.files, 0);
      log(
        `${group.name}: simulated drive of ${files.toLocaleString('en-US')} files built in ${built.buildMs} ms`,
      );
      const dir = join(work, group.name);
      mkdirSync(dir, { recursive: true });
      for (const step of steps) {
        log(`${step.id}…`);
        const result = await runChild(step.id, {
          ...host.env,
          BENCH_DIR: dir,
          BENCH_S3_ENDPOINT: moto.endpoint,
          BENCH_MOTO_PID,
          BENCH_DEADLINE_MS: String(deadline),
        });
        log(
          `${step.id}: ${Math.round(result.wallS * 100) / 100} s${result.problems.length ? ` (${result.problems.length} problems)` : ''}`,
        );
        report.results.push(result);
      }
    } finally {
      await host.stop();
    }
  }
} finally {
  moto.stop();
  rmSync(work, { recursive: true, force: true });
}
report.totalS = Number(process.hrtime.bigint() - started) / 1e9;
report.machine.loadEnd = Math.round((loadavg()[0] ?? 0) * 100) / 100;
const file = join(resultsDir, 'latest.json');
writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
process.stdout.write(`${render(report)}\n\nWritten: ${file}\n`);
