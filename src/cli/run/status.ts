import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RuntimeFailure, systemWords, UsageError } from '../../errors.js';
import { statusPage } from '../../render/page.js';
import { toTheSecond } from '../../render/time.js';
import { explainInstance, parseSince, statusView } from '../../status.js';
import { accountOfRole } from '../../aws/assume-role.js';
import { entryFor, loadConfigFile } from '../../config/index.js';
import { groupIdentity } from '../../state/names.js';
import { awsSettingsFrom, type AwsArgs } from '../aws-flags.js';
import type { CliIo } from '../io.js';
import { renderExplain, renderStatus } from '../render/status.js';
import { stateDirOf, stateStores, tableOf, type StoreArgs } from '../state-store.js';
import { regionsWithState } from '../../state/file-store.js';
import { AwsSettingError } from '../../aws/settings.js';
import type { StateStore } from '../../state/store.js';

export interface StatusArgs extends AwsArgs, StoreArgs {
  config?: string | undefined;
  group: string;
  since?: string | undefined;
  explain?: string | undefined;
  json: boolean;
  html?: string | undefined;
  serve: boolean;
  port: number;
}

/** `status`: the state and the history of one group, as text, JSON, a page, or a page served. */
export async function runStatus(args: StatusArgs, io: CliIo): Promise<void> {
  if (args.serve && (args.html !== undefined || args.json || args.explain !== undefined)) throw new UsageError('--serve serves the page: without --html, --json or --explain');
  if (args.html !== undefined && args.explain !== undefined) throw new UsageError('--explain is text or --json, not --html');
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) throw new UsageError(`--port ${args.port}: expected 0 to 65535`);
  const page = args.html !== undefined || args.serve;
  const sinceText = args.since ?? (page ? '1d' : '1h');
  const start = io.now();
  const since = parseSince(sinceText, start);
  if (since === null) throw new UsageError(`--since ${sinceText}: expected 30m, 2h, 1d, 90s or an ISO time`);
  if (since > start) throw new UsageError(`--since ${sinceText}: that is in the future (it is ${toTheSecond(start)} here)`);
  // A group of a config file lives where its entry says; one reached through a role, under that role's account.
  const entry = args.config ? entryFor(loadConfigFile(args.config), args.group, { region: args.region, profile: args.profile }, args.config) : null;
  const aws = awsSettingsFrom({ ...args, region: args.region ?? entry?.region ?? undefined, profile: args.profile ?? entry?.profile ?? undefined });
  const region = await aws.then(
    (settings) => settings.region,
    (error: unknown) => regionOfStateFile(error, args, io),
  );
  const account = entry?.role ? (accountOfRole(entry.role) ?? undefined) : undefined;
  const stores = await stateStores(args, io, () => aws, 0);
  try {
    await show(args, io, { start, since }, region, stores.storeFor(groupIdentity(args.group, { region, account })));
  } finally {
    stores.close();
  }
}

/**
 * With no region set anywhere, the group's one state file in the state directory names it:
 * `status -g web` by hand, on the host whose cron line sets AWS_REGION in its environment file.
 * Of several regions, or none, the error says what is there; a table needs the region to be reached.
 */
async function regionOfStateFile(error: unknown, args: StatusArgs, io: CliIo): Promise<string> {
  if (!(error instanceof AwsSettingError) || error.setting !== 'region' || args.region !== undefined || tableOf(args, io) !== null) throw error;
  const dir = stateDirOf(args, io);
  const regions = await regionsWithState(dir, args.group);
  if (regions.length === 1) return regions[0]!;
  if (regions.length === 0) throw error;
  throw new UsageError(`${args.group} has state in ${dir} for ${regions.join(', ')}: pass --region to say which`);
}

/**
 * The window asked for, `since` read at `start`; a page served later moves it on with the clock
 * (one reading of the clock for both ends: a second apart they showed `--since 12:00:00Z` as 11:59:59Z).
 */
async function show(args: StatusArgs, io: CliIo, { start, since }: { start: number; since: number }, region: string, store: StateStore): Promise<void> {
  const read = async (now: number) => {
    const from = since + (now - start);
    const [{ state, corruption }, history] = await Promise.all([store.load({ readOnly: true }), store.readHistory(from)]);
    return { state, history, view: statusView({ group: args.group, region, stateFile: store.location, now, since: from, state, history, corruption: corruption?.reason ?? null }) };
  };
  if (args.explain !== undefined) {
    const { history } = await read(start);
    const view = explainInstance(args.group, args.explain, since, history);
    io.stdout(args.json ? `${JSON.stringify(view)}\n` : renderExplain(view));
    return;
  }
  if (args.serve) {
    // The watchdog's clock (ASG_WATCHDOG_NOW in tests and the demo), moving on as the server runs.
    const started = Date.now();
    return serve(args, io, async () => statusPage(await read(start + Date.now() - started), { refreshSeconds: 60 }));
  }
  const now = await read(start);
  if (args.html !== undefined) {
    try {
      writeFileSync(args.html, statusPage(now, {}));
    } catch (error) {
      throw new RuntimeFailure(`cannot write ${args.html}: ${systemWords(error)}`);
    }
    io.stdout(`wrote ${args.html}: ${now.view.ticks} tick${now.view.ticks === 1 ? '' : 's'} since ${toTheSecond(now.view.since)}\n`);
    return;
  }
  io.stdout(args.json ? `${JSON.stringify(now.view)}\n` : renderStatus(now.view));
}

/**
 * What a browser on this machine names the page by, on any port (an SSH tunnel's too). Any other
 * name is a web page's DNS rebinding: a site that resolves its own name to 127.0.0.1 to read this
 * page from the operator's browser.
 */
const LOOPBACK_HOST = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/i;

/** The page on 127.0.0.1 only (it shows the fleet), built afresh at each request; until SIGINT or SIGTERM. */
async function serve(args: StatusArgs, io: CliIo, page: () => Promise<string>): Promise<void> {
  const server = createServer((req, res) => {
    if (!LOOPBACK_HOST.test(req.headers.host ?? '')) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end('this page is served to this machine only: open it as http://127.0.0.1 or http://localhost\n');
      return;
    }
    if (req.url !== '/' && req.url !== '/index.html') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    page().then(
      (html) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html),
      (error: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${(error as Error).message}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(new RuntimeFailure(`cannot serve on 127.0.0.1:${args.port}: ${systemWords(error)}`)));
    server.listen(args.port, '127.0.0.1', () => resolve());
  });
  io.stdout(`serving the status of ${args.group} on http://127.0.0.1:${(server.address() as AddressInfo).port}/ (refreshed every minute; Ctrl-C stops)\n`);
  await new Promise<void>((resolve) => {
    const stop = () => server.close(() => resolve());
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
