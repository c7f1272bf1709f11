// One scenario in a process of its own (started by bench/run.ts), so its peak RSS is its own:
//   node --import tsx bench/scenario.ts B3
// Environment: BENCH_DIR, BENCH_S3_ENDPOINT, BENCH_SIM_URL, BENCH_SIM_CONTROL, BENCH_OUT.
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { scenarioById } from './scenarios/index.js';
import { RemoteSim } from './sim-remote.js';

const id = process.argv[2] ?? '';
const run = scenarioById(id);
const need = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (run scenarios through npm run bench)`);
  return value;
};
if (!run) {
  process.stderr.write(`unknown scenario "${id}"\n`);
  process.exit(2);
}
const loadNow = () => Math.round((loadavg()[0] ?? 0) * 100) / 100;
const loadStart = loadNow();
const result = await run({
  dir: need('BENCH_DIR'),
  s3Endpoint: need('BENCH_S3_ENDPOINT'),
  sim: RemoteSim.fromEnv(),
});
result.load = { start: loadStart, end: loadNow() };
writeFileSync(need('BENCH_OUT'), JSON.stringify(result, null, 2));
// Keep-alive sockets of the S3 and Graph clients would hold the process open.
process.exit(0);
