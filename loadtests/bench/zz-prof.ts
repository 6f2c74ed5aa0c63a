import { spawn } from 'node:child_process';
import { runLoad } from '/work/main/loadtests/runner/run-load.ts';
const child = spawn(process.execPath, ['--import', 'tsx', '/work/main/loadtests/bench/target-server.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
let buf = '';
const url: string = await new Promise((res) => child.stdout!.on('data', (c) => { buf += c; const m = /port=(\d+)/.exec(buf); if (m) res(`http://127.0.0.1:${m[1]}`); }));
const r = await runLoad({ baseUrl: url, workload: 'read-heavy', keyCount: 10000, rate: Number(process.argv[2] ?? 5000), durationSec: 4, warmupSec: 1, seed: 1, timeoutMs: 2000, maxInFlight: 1000, topology: 'x', workers: 1 });
console.log(r.achievedRps, r.schedulingLagMs, r.generatorCpu, r.latencyMs.p99, r.invalidReasons);
child.kill();
