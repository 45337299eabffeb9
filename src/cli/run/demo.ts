import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeClients } from '../../aws/clients.js';
import { defaultConfig } from '../../config/index.js';
import { RuntimeFailure } from '../../errors.js';
import { formatPercent } from '../../engine/index.js';
import { LocalAws } from '../../local-aws/server.js';
import { loadScenario } from '../../sim/scenario.js';
import { FileStateStore } from '../../state/file-store.js';
import { tick, type TickReport } from '../../tick.js';
import type { CliIo } from '../io.js';

interface Act {
  file: string;
  title: string;
  story: string;
  from: number;
  to: number;
}

// The two failures the original post provoked by hand, replayed through local-aws, the real AWS
// clients and the very tick cron runs, on a virtual clock that moves one minute per step.
const ACTS: Act[] = [
  {
    file: 'runaway-cpu.json',
    title: 'A runaway process',
    story: "Two web servers share the load at about 50 %. At minute 10 one of them starts 'yes > /dev/null' and pins its CPU at 100 %.",
    from: 8,
    to: 24,
  },
  {
    file: 'detached-instance.json',
    title: 'An instance dropped by the load balancer',
    story: 'Two web servers at about 60 %. At minute 10 one is deregistered from the load balancer by hand: it idles at 1 % and still costs money.',
    from: 8,
    to: 24,
  },
];

/** The shipped scenarios/: beside dist/ in a checkout or a package, three levels up from src/cli/run. */
function scenarioDir(): string {
  for (const up of ['../scenarios/', '../../scenarios/', '../../../scenarios/']) {
    const dir = fileURLToPath(new URL(up, import.meta.url));
    if (existsSync(dir)) return dir;
  }
  throw new RuntimeFailure('the shipped scenarios/ folder is missing from this installation');
}

function minuteLine(minute: number, r: TickReport): string {
  const loads = r.instances.map((i) => `…${i.id.slice(-4)} ${formatPercent(i.load)}`).join(', ');
  return `  minute ${String(minute).padStart(2)}  ${r.figures.n} in service, desired ${r.figures.desired}: ${loads}`;
}

export async function runDemo(io: CliIo, paceMs: number): Promise<void> {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  io.stdout('asg-watchdog demo: the provoked failures of the original Menéame post, end to end.\n');
  io.stdout('Each act serves a simulated fleet on a local AWS endpoint and runs the real `watch` tick against it once a simulated minute.\n');
  for (const [n, act] of ACTS.entries()) {
    const scenario = loadScenario(join(scenarioDir(), act.file));
    const server = new LocalAws(scenario, { port: 0, speed: 0, advanceTo: act.from });
    const url = await server.listen();
    const clients = makeClients({ region: 'us-east-1', endpoint: url, credentials: { accessKeyId: 'demo', secretAccessKey: 'demo' }, maxAttempts: 2, clock: () => server.world.virtualNow() });
    const dir = mkdtempSync(join(tmpdir(), 'asg-watchdog-demo-'));
    try {
      io.stdout(`\n${n + 1}. ${act.title}\n   ${act.story}\n`);
      const identity = { endpoint: url, region: 'us-east-1', group: scenario.group.name };
      const store = new FileStateStore({ dir, lockDir: join(dir, 'locks'), identity, clock: () => server.world.virtualNow() });
      for (let minute = act.from; minute <= act.to; minute++) {
        const report = await tick({ group: scenario.group.name, config: defaultConfig, dryRun: false }, { clients, store, clock: () => server.world.virtualNow() });
        io.stdout(`${minuteLine(minute, report)}\n`);
        if (report.action) {
          const what = report.action.kind === 'set-desired' ? `sets desired ${report.action.from} → ${report.action.to}` : `terminates ${report.action.instance}${report.action.decrement ? `, desired ${report.action.from} → ${report.action.to}` : ', the group launches a replacement'}`;
          io.stdout(`  >>> the watchdog ${what}\n      ${report.action.reason}\n`);
          for (const alert of report.alerts) io.stdout(`      alert: ${alert.subject}\n`);
        }
        server.world.advance(1);
        if (paceMs > 0) await sleep(paceMs);
      }
      const counts = server.callCounts();
      const calls = Object.values(counts).reduce((a, b) => a + b, 0);
      io.stdout(`   ${calls} AWS calls in ${act.to - act.from + 1} ticks: ${Object.entries(counts).map(([op, c]) => `${op} ${c}`).join(', ')}\n`);
    } finally {
      clients.destroy();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  io.stdout('\nCloudWatch shows a minute about 3 minutes late, so each failure is seen 3 to 5 minutes after it starts; every kill waits 5 more minutes to be sure.\n');
  io.stdout('Run it against your own fleet without touching it: asg-watchdog watch -g GROUP --dry-run\n');
}

