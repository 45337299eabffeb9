// The status page in a real browser: Debian's chromium (which .ci/run installs) driven by
// playwright-core, on a desktop and on a phone. A runaway on the local fleet is the known history:
// 20 ticks, a scale-out and the terminate. Screenshots land in test-artifacts/ (not committed).
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peersClosedAfterEach, shipped, startLocal } from '../e2e/local.js';
import { cli } from '../cli/run.js';

const CHROMIUM = process.env['CHROMIUM'] ?? '/usr/bin/chromium';
const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url).pathname;
const RUNAWAY = 'i-00000000100000000';
const peers = peersClosedAfterEach();

let browser: Browser;
let statusHtml: string;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}, 60_000);
afterAll(async () => browser?.close());

/** The page of 20 real ticks of the runaway scenario, as `status --html` writes it. */
async function runawayPage(): Promise<string> {
  const local = (peers.local = await startLocal(shipped('runaway-cpu'), { advanceTo: 5 }));
  for (let minute = 0; minute < 20; minute++) {
    await local.watch();
    local.server.world.advance(1);
  }
  const file = join(local.stateDir, 'web.html');
  expect((await local.cli(['status', '-g', 'web', '--html', file])).code).toBe(0);
  return file;
}

/** Opens a page as a viewer would, offline: every request but the file itself fails the test. */
async function open(file: string, viewport: { width: number; height: number }): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport });
  const problems: string[] = [];
  page.on('console', (m) => void (m.type() === 'error' && problems.push(`console: ${m.text()}`)));
  page.on('pageerror', (e) => void problems.push(`page error: ${e.message}`));
  page.on('request', (r) => void (r.url() !== `file://${file}` && problems.push(`request: ${r.url()}`)));
  await page.goto(`file://${file}`);
  return { page, problems };
}

const VIEWPORTS = [
  { device: 'desktop', width: 1280, height: 900, frame: 'wide' },
  { device: 'phone', width: 412, height: 915, frame: 'narrow' },
] as const;

describe('status --html in chromium', () => {
  beforeAll(async () => {
    statusHtml = await runawayPage();
  });

  it.each(VIEWPORTS)('on a $device ($width px): the chart and actions of the history, a tap shows the reason, it fits', async ({ device, width, height, frame }) => {
    const { page, problems } = await open(statusHtml, { width, height });
    const chart = page.locator(`svg#chart-${frame}`);
    const seen = {
      chartVisible: await chart.isVisible(),
      otherChartHidden: !(await page.locator(`svg#chart-${frame === 'wide' ? 'narrow' : 'wide'}`).isVisible()),
      cpuPoints: (await chart.locator('polyline.cpu').getAttribute('points'))!.split(' ').length,
      marks: await chart.locator('.act').evaluateAll((els) => els.map((el) => el.querySelector('text')!.textContent)),
      rows: await page.locator('#actions tbody tr').evaluateAll((rows) => rows.map((r) => r.children[2]!.textContent)),
      heatRows: await page.locator(`svg#heat-${frame} text`).count(),
      alerts: await page.locator('#alerts li').allTextContents(),
    };
    await chart.locator('.act[data-act="1"]').click();
    const afterKill = await page.locator('#detail').textContent();
    await chart.locator('.act[data-act="0"]').hover();
    const afterUp = await page.locator('#detail').textContent();
    const box = (await chart.boundingBox())!;
    const fit = { document: await page.evaluate<number>('document.documentElement.scrollWidth'), chart: box.x + box.width };
    await page.screenshot({ path: join(ARTIFACTS, `status-${device}.png`), fullPage: true });
    expect({ ...seen, afterKill, afterUp, fits: fit.document <= width && fit.chart <= width, problems }).toEqual({
      chartVisible: true,
      otherChartHidden: true,
      cpuPoints: 20,
      marks: ['▲', '✕'],
      rows: [`terminate ${RUNAWAY}`, 'desired 2 → 3'],
      heatRows: 3,
      // The newest first, as the actions' table.
      alerts: [
        expect.stringMatching(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ  web: terminated ${RUNAWAY} \\(runaway, CPU 100.0 % vs 49.7 %\\); desired 3 → 2$`)),
        expect.stringMatching(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ  web: ${RUNAWAY} runaway \\(CPU 100.0 % vs 50.4 %\\); emergency \\+1, desired 2 → 3$`)),
      ],
      afterKill: expect.stringMatching(new RegExp(`^\\d\\d:\\d\\d terminate ${RUNAWAY} \\(runaway, done\\): runaway: ${RUNAWAY} CPU 100.0 % vs 49.7 % of its working peers for 5 min$`)),
      afterUp: expect.stringMatching(/^\d\d:\d\d desired 2 → 3 \(runaway, done\): runaway: .* emergency \+1$/),
      fits: true,
      problems: [],
    });
    await page.close();
  });

  it('a row of the table, tapped, marks its action in the chart', async () => {
    const { page, problems } = await open(statusHtml, { width: 412, height: 915 });
    await page.locator('#actions tbody tr').nth(1).click();
    expect({
      on: await page.locator('svg#chart-narrow .act.on').getAttribute('data-act'),
      detail: await page.locator('#detail').textContent(),
      problems,
    }).toEqual({ on: '0', detail: expect.stringMatching(/desired 2 → 3/), problems: [] });
    await page.close();
  });
});

describe('simulate --html in chromium', () => {
  it('the same page for a simulated run: every action of the report, the comparison below', async () => {
    const file = join(ARTIFACTS, 'simulate-runaway-cpu.html');
    const scenario = new URL('../../scenarios/runaway-cpu.json', import.meta.url).pathname;
    expect((await cli(['simulate', '--scenario', scenario, '--html', file])).code).toBe(0);
    const report = JSON.parse((await cli(['simulate', '--scenario', scenario, '--policy', 'watchdog', '--json'])).stdout);
    const { page, problems } = await open(file, { width: 1280, height: 900 });
    const seen = {
      marks: await page.locator('svg#chart-wide .act').count(),
      rows: await page.locator('#actions tbody tr').count(),
      appendix: await page.locator('pre').textContent(),
      problems,
    };
    await page.screenshot({ path: join(ARTIFACTS, 'simulate-desktop.png'), fullPage: true });
    const actions = report.policies.watchdog.actions.length;
    expect(seen).toEqual({ marks: actions, rows: actions, appendix: expect.stringMatching(/target-tracking/), problems: [] });
    expect(readFileSync(file, 'utf8')).not.toMatch(/\b(src|href)=|https?:\/\//);
    await page.close();
  });
});
