// One ceiling measurement in a process of its own: the job as JSON on stdin, the result as
// JSON on stdout (see bench/ceiling.ts).
import { ceiling, type CeilingJob } from './ceiling.js';

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const job = JSON.parse(Buffer.concat(chunks).toString('utf8')) as CeilingJob;
const result = await ceiling(job);
// Keep-alive sockets would hold the process open: exit once the answer is written.
process.stdout.write(JSON.stringify(result), () => process.exit(0));
