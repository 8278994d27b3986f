#!/usr/bin/env node
// End-to-end test of the operator page (web/operator.html) in Debian's
// Chromium, driven by playwright-core, against a running stack with some
// traffic. Started by tests/integration/browser_e2e_test.cpp
// (OperatorPage) under ctest, which streams frames meanwhile; by hand,
// against ./scripts/run (stream something first, e.g. scripts/ws-client):
//
//   node tests/e2e/operator.e2e.mjs --url http://127.0.0.1:8000/ \
//     --token "$(cat var/run/demo-token)" --screenshot docs/screenshot-operator.png
//
// Checks: a non-staff token is refused with a clear message; a staff token
// shows every node with a live AI link, nonzero fps in and out, latency
// percentiles and drawn charts; pausing stops the polling.
// Exit status 0 when every check passed, 1 otherwise (2: bad arguments).

import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const usage = `usage: node operator.e2e.mjs --url URL --token STAFF_TOKEN --screenshot PATH
       [--user-token NON_STAFF_TOKEN] [--nodes N] [--chromium PATH] [--timeout-ms MS] [--headed]`;

let args;
try {
  args = parseArgs({
    options: {
      url: { type: 'string' },
      token: { type: 'string' },
      'user-token': { type: 'string' },
      nodes: { type: 'string', default: '1' },
      screenshot: { type: 'string' },
      chromium: { type: 'string', default: process.env.TRYON_CHROMIUM || '/usr/bin/chromium' },
      'timeout-ms': { type: 'string', default: '120000' },
      headed: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }).values;
} catch (err) {
  console.error(`${err.message}\n${usage}`);
  process.exit(2);
}
if (args.help) {
  console.log(usage);
  process.exit(0);
}
for (const need of ['url', 'token', 'screenshot']) {
  if (!args[need]) {
    console.error(`missing --${need}\n${usage}`);
    process.exit(2);
  }
}
if (!existsSync(args.chromium)) {
  console.error(`Chromium not found at ${args.chromium} (install Debian's chromium package, or pass --chromium)`);
  process.exit(1);
}

const { chromium } = await import('playwright-core');

const t0 = Date.now();
const info = (text) => console.log(`[operator ${((Date.now() - t0) / 1000).toFixed(1)}s] ${text}`);
class CheckFailed extends Error {}
function check(cond, text) {
  if (!cond) throw new CheckFailed(text);
  info(`  ok: ${text}`);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(what, fn, timeoutMs = 30000, everyMs = 250) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new CheckFailed(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

const pageUrl = (token) => {
  const u = new URL('operator.html', args.url);
  u.searchParams.set('interval', '700');
  if (token) u.searchParams.set('token', token);
  return u.toString();
};

/** What the page shows. */
const read = (page) => page.evaluate(() => {
  const text = (id) => (document.getElementById(id) || {}).textContent || '';
  const rows = [...document.querySelectorAll('#nodes tbody tr')].map((tr) =>
    [...tr.cells].map((td) => td.textContent));
  return {
    board: !document.getElementById('board').hidden,
    signin: !document.getElementById('signin').hidden,
    banner: document.getElementById('banner').hidden ? '' : text('banner-text'),
    nodes: text('t-nodes'),
    sessions: text('t-sessions'),
    fpsIn: Number(text('t-fps-in')),
    fpsOut: Number(text('t-fps-out')),
    ai: text('t-ai'),
    samples: Number(document.body.dataset.samples || 0),
    rows,
    lines: Object.fromEntries(['c-fps', 'c-latency', 'c-sessions'].map((id) =>
      [id, document.querySelectorAll(`#${id} polyline`).length])),
    url: location.href,
  };
});

const scratch = mkdtempSync(join(tmpdir(), 'tryon-operator-'));
const pageErrors = [];
let context;
let page;
let failed = false;
const watchdog = setTimeout(() => {
  console.error(`[operator] FAILED: no result within ${args['timeout-ms']} ms`);
  process.exit(1);
}, Number(args['timeout-ms']));

try {
  context = await chromium.launchPersistentContext(join(scratch, 'profile'), {
    executablePath: args.chromium,
    headless: !args.headed,
    viewport: { width: 1280, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  context.setDefaultTimeout(20000);
  page = context.pages()[0] || (await context.newPage());
  page.on('pageerror', (err) => {
    pageErrors.push(err.message);
    info(`PAGE ERROR: ${err.message}`);
  });

  // -- 1. without a token: the sign-in form; a non-staff token: refused
  await page.goto(pageUrl(''));
  await until('the sign-in form', async () => (await read(page)).signin);
  check(!(await read(page)).board, 'no token: sign-in shown, no figures');
  if (args['user-token']) {
    await page.fill('#token-input', args['user-token']);
    await page.click('#signin-form button[type=submit]');
    const s = await until('the refusal', async () => {
      const r = await read(page);
      return r.signin && r.banner ? r : null;
    });
    check(/staff/i.test(s.banner) && /403/.test(s.banner), `a non-staff token is refused: "${s.banner}"`);
  }

  // -- 2. a staff token: every node, AI link up, live fps, percentiles, charts
  await page.goto(pageUrl(args.token));
  let s = await until('the board', async () => {
    const r = await read(page);
    return r.board ? r : null;
  });
  check(!s.url.includes('token='), 'the token is taken out of the address bar');
  const nodes = Number(args.nodes);
  s = await until(`${nodes} node row(s)`, async () => {
    const r = await read(page);
    return r.rows.length === nodes ? r : null;
  });
  check(s.nodes === String(nodes), `the nodes tile says ${nodes}`);
  s = await until('frames flowing in and out', async () => {
    const r = await read(page);
    return r.fpsIn > 0 && r.fpsOut > 0 && r.samples >= 3 ? r : null;
  }, 60000);
  check(s.fpsIn > 0 && s.fpsOut > 0, `fps in ${s.fpsIn}, fps out ${s.fpsOut}`);
  check(s.ai === 'up', 'the AI link tile says up');
  for (const row of s.rows) {
    check(/^up \d+\/\d+$/.test(row[10]), `node ${row[0]}: AI link ${row[10]}`);
  }
  s = await until('latency percentiles', async () => {
    const r = await read(page);
    return r.rows.some((row) => /^\d/.test(row[5]) && /^\d/.test(row[7])) ? r : null;
  });
  const busy = s.rows.find((row) => /^\d/.test(row[5]));
  check(Boolean(busy), `percentiles shown: p50 ${busy[5]}, p95 ${busy[6]}, p99 ${busy[7]}`);
  check(Number(s.sessions) >= 1, `live sessions: ${s.sessions}`);
  check(s.lines['c-fps'] >= 2 && s.lines['c-latency'] >= 1 && s.lines['c-sessions'] >= 1,
    `charts drawn: ${JSON.stringify(s.lines)}`);
  // A few more samples, so that the screenshot shows lines, not dots.
  await until('12 samples', async () => (await read(page)).samples >= 12);
  await page.screenshot({ path: args.screenshot });
  info(`screenshot: ${args.screenshot}`);

  // -- 3. pause stops polling; resume starts it again
  await page.click('#pause');
  const paused = (await read(page)).samples;
  await sleep(2000);
  check((await read(page)).samples <= paused + 1, 'paused: no more samples');
  await page.click('#pause');
  await until('a new sample after resuming', async () => (await read(page)).samples > paused + 1);

  check(pageErrors.length === 0, `no uncaught errors in the page${pageErrors.length ? `: ${pageErrors.join('; ')}` : ''}`);
  info('PASSED');
} catch (err) {
  failed = true;
  console.error(`[operator] FAILED: ${err instanceof CheckFailed ? '' : `${err.name}: `}${err.message}`);
  if (page && !page.isClosed()) {
    try {
      info(`page state: ${JSON.stringify(await read(page))}`);
      await page.screenshot({ path: args.screenshot.replace(/(\.png)?$/, '-failed.png') });
    } catch {
      // the page is gone: nothing more to show
    }
  }
} finally {
  clearTimeout(watchdog);
  if (context) await context.close().catch(() => {});
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
