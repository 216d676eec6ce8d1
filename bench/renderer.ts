/**
 * Renderer benchmark (not a test): the built renderer in Debian Chromium,
 * fed 60-node topology snapshots at 1 Hz over the web-mode WebSocket by a
 * synthetic console (snapshots validated against the contract schemas).
 *
 * Figure: main-thread time per update, read from Chromium's own accounting
 * (CDP Performance.getMetrics TaskDuration: script, style, layout and paint
 * on the renderer main thread) over the whole 1-second period of each push,
 * from just before it to just before the next: work the page defers (a
 * chart that redraws a little later) is counted in the period it happens,
 * and so is background work (clock ticks), so the figure is an upper bound.
 * Phases: the topology graph alone; then a link's charts open on an hour of
 * history. In each, the first 30 s (after loading the page, after opening
 * the charts) are reported on their own row, for the GCs such a burst of
 * allocation causes, and the steady state after them. Also: long tasks
 * (PerformanceObserver 'longtask') and frame intervals while the cursor
 * sweeps the 1-hour chart.
 *
 *   npx tsx bench/renderer.ts [--ticks 60] [--no-build]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type CDPSession, type Page } from 'playwright-core';
import { startSyntheticConsole } from './renderer/synthetic-console';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const ticks = Number(argv[argv.indexOf('--ticks') + 1] ?? '') || 60;
const build = !argv.includes('--no-build');
const PERIOD_MS = 1000;
/** Pushes after loading the page, and after opening the charts panel, before each steady-state measurement (see main). */
const SETTLE_TICKS = 30;
/** The CDP binding the page probe calls when a topology push arrived. */
const TOPOLOGY_BINDING = '__topologySeen';

interface Stats {
  readonly count: number;
  /** The five slowest values, slowest first. */
  readonly worst: readonly number[];
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
  readonly mean: number;
}

const round = (value: number): number => Math.round(value * 100) / 100;

function stats(values: readonly number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { count: sorted.length, worst: sorted.slice(-5).reverse().map(round), p50: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] ?? NaN, mean: sorted.reduce((sum, value) => sum + value, 0) / Math.max(1, sorted.length) };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Injected before the app loads (a string: the page has its own globals, and
 * tsx's name helpers do not exist there). Records long tasks, reports the
 * arrival of each topology push (a read-only tap on the socket that calls a
 * CDP binding), and records frame intervals on demand.
 */
const PAGE_PROBES = `
  window.__longTasks = [];
  new PerformanceObserver((list) => { for (const entry of list.getEntries()) window.__longTasks.push(entry.duration); })
    .observe({ type: 'longtask', buffered: true });
  const NativeSocket = window.WebSocket;
  window.WebSocket = class extends NativeSocket {
    constructor(url, protocols) {
      super(url, protocols);
      this.addEventListener('message', (event) => {
        // A substring test, not JSON.parse: the probe's own work is counted in the figures.
        if (typeof event.data !== 'string' || !event.data.includes('"type":"topology"')) return;
        queueMicrotask(() => { window.__topologySeen?.(''); });
      });
    }
  };
  window.__startFrames = () => {
    window.__frames = [];
    window.__framesStop = false;
    let last = performance.now();
    const loop = (now) => { window.__frames.push(now - last); last = now; if (!window.__framesStop) requestAnimationFrame(loop); };
    requestAnimationFrame(loop);
  };
  window.__stopFrames = () => { window.__framesStop = true; return window.__frames.slice(2); };
`;

/**
 * Waits until `expression` is true in the page, polling from here with
 * Runtime.evaluate. Not page.waitForFunction: that compiles its predicate
 * with eval inside the page, which the console's CSP refuses (each attempt
 * logged a CSP violation), and it polls every animation frame, which would
 * add its own main-thread time to the figures.
 */
async function until(page: Page, expression: string, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await page.evaluate(expression)) === true) return true;
    await sleep(20);
  }
  return false;
}

async function mustSee(page: Page, expression: string, timeoutMs = 10_000): Promise<void> {
  if (!(await until(page, expression, timeoutMs))) throw new Error(`timed out waiting for ${expression}`);
}

async function taskMs(cdp: CDPSession): Promise<number> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  return (metrics.find((metric) => metric.name === 'TaskDuration')?.value ?? 0) * 1000;
}

/**
 * Resolves when the page has received the next topology push: the probe calls
 * a CDP binding (Runtime.addBinding, installed in main), so the bench waits
 * without polling the page (each poll would be a main-thread task counted in
 * the figures). A push the page never sees fails the run: its period would
 * measure nothing.
 */
function nextTopologySeen(cdp: CDPSession, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cdp.off('Runtime.bindingCalled', onCall);
      reject(new Error(`the page did not receive a topology push within ${timeoutMs} ms`));
    }, timeoutMs);
    const onCall = (event: { name: string }): void => {
      if (event.name !== TOPOLOGY_BINDING) return;
      clearTimeout(timer);
      cdp.off('Runtime.bindingCalled', onCall);
      resolve();
    };
    cdp.on('Runtime.bindingCalled', onCall);
  });
}

async function measureUpdates(cdp: CDPSession, push: () => number, count: number): Promise<number[]> {
  const costs: number[] = [];
  let before = await taskMs(cdp);
  for (let index = 0; index < count; index += 1) {
    const started = Date.now();
    const seen = nextTopologySeen(cdp, 5000);
    push();
    await seen;
    await sleep(Math.max(0, PERIOD_MS - (Date.now() - started)));
    const after = await taskMs(cdp);
    costs.push(after - before);
    before = after;
  }
  return costs;
}

async function main(): Promise<void> {
  if (build) execFileSync('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  const historyRows = 3600;
  const console = await startSyntheticConsole({
    rendererDir: path.join(root, 'out/renderer'),
    shape: { sessionId: 'bench', masters: 15, replicasPerMaster: 3, downReplica: 7, pollIntervalMs: 1000 },
    historyRows,
  });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.addInitScript({ content: PAGE_PROBES });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(console.url);
    await page.waitForSelector('[data-testid="topology-graph"] .node-card');
    await mustSee(page, "document.querySelectorAll('.node-card').length === 60");
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    await cdp.send('Runtime.enable');
    await cdp.send('Runtime.addBinding', { name: TOPOLOGY_BINDING });

    // Loading the page is a burst of allocation too, answered by the memory
    // reducer the same way as opening the charts (below).
    const loadSettleCosts = await measureUpdates(cdp, console.pushTick, SETTLE_TICKS);
    const graphCosts = await measureUpdates(cdp, console.pushTick, ticks);
    mkdirSync(path.join(root, 'test-artifacts/screenshots'), { recursive: true });
    await page.screenshot({ path: path.join(root, 'test-artifacts/screenshots/bench-topology-60.png') });

    // Open the replica whose link is down on the Charts tab with the 1 h window.
    await page.click('.node-card.level-critical .node-button');
    await page.getByRole('tab', { name: 'Charts' }).click();
    await page.getByRole('button', { name: '1 h' }).click();
    await mustSee(page, "document.querySelectorAll('.detail-charts .uplot').length >= 3");
    await mustSee(page, "!document.body.textContent.includes('loading history…')", 30_000);
    // Opening the panel allocates its charts and an hour of decimated history
    // at once; V8's memory reducer answers such a burst with compacting major
    // GCs over the next half minute. Those periods are reported on their own
    // row (they are the cost of opening the panel, once); the steady-state
    // figure starts after them.
    const settleCosts = await measureUpdates(cdp, console.pushTick, SETTLE_TICKS);
    const chartCosts = await measureUpdates(cdp, console.pushTick, ticks);
    await page.screenshot({ path: path.join(root, 'test-artifacts/screenshots/bench-charts-1h.png') });

    // Sweep the cursor across the first chart and record frame intervals.
    const box = await (await page.$('.detail-charts .uplot .u-over'))?.boundingBox();
    let frames: number[] = [];
    if (box) {
      await page.evaluate('window.__startFrames()');
      for (let step = 0; step <= 120; step += 1) {
        await page.mouse.move(box.x + (box.width * step) / 120, box.y + box.height / 2);
        await sleep(16);
      }
      frames = (await page.evaluate('window.__stopFrames()')) as number[];
    }
    const longTasks = (await page.evaluate('window.__longTasks')) as number[];
    const result = {
      time: new Date().toISOString(),
      nodes: 60,
      historyRows,
      ticksPerPhase: ticks,
      graphSettleUpdateMs: stats(loadSettleCosts),
      graphUpdateMs: stats(graphCosts),
      chartsSettleUpdateMs: stats(settleCosts),
      chartsUpdateMs: stats(chartCosts),
      cursorSweepFrameMs: stats(frames),
      longTasksMs: longTasks.map(round),
      pageErrors: errors,
    };
    const line = (name: string, value: Stats): string => `${name.padEnd(34)} p50 ${round(value.p50)} ms  p95 ${round(value.p95)} ms  max ${round(value.max)} ms  (n=${value.count}; worst ${value.worst.join(', ')})`;
    process.stdout.write(
      [
        'Renderer benchmark: 60 nodes, 1 Hz pushes, Chromium main-thread time per update',
        line(`graph: first ${SETTLE_TICKS} s after loading`, result.graphSettleUpdateMs),
        line('graph only', result.graphUpdateMs),
        line(`charts: first ${SETTLE_TICKS} s after opening`, result.chartsSettleUpdateMs),
        line('graph + 3 charts over 1 h history', result.chartsUpdateMs),
        line('frame interval, cursor sweep', result.cursorSweepFrameMs),
        `long tasks (>50 ms) during the run: ${longTasks.length}${longTasks.length ? ` [${longTasks.map(round).join(', ')}]` : ''}`,
        `page errors: ${errors.length}`,
        '',
      ].join('\n'),
    );
    mkdirSync(path.join(root, 'bench/results'), { recursive: true });
    writeFileSync(path.join(root, 'bench/results/renderer.json'), JSON.stringify(result, null, 2));
  } finally {
    await browser.close();
    await console.close();
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
