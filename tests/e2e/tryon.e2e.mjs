#!/usr/bin/env node
// End-to-end test of the browser client (web/) in Debian's Chromium, driven
// by playwright-core, against a running stack (tryon-server + AI service +
// PostgreSQL). Started by tests/integration/browser_e2e_test.cpp under ctest;
// can also be run by hand against ./scripts/run:
//
//   node tests/e2e/tryon.e2e.mjs --url http://127.0.0.1:8000/ \
//     --token "$(cat var/run/demo-token)" --post "$(cat var/run/demo-post-id)" \
//     --screenshot docs/screenshot.png --phone-screenshot docs/screenshot-phone.png
//
// Exit status 0 when every check passed, 1 otherwise (2: bad arguments).
// See docs/web.md for what it checks.

import { mkdtempSync, rmSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const usage = `usage: node tryon.e2e.mjs --url URL --token TOKEN --post ID --screenshot PATH
       [--phone-screenshot PATH] [--camera hand|pattern] [--chromium PATH]
       [--timeout-ms MS] [--headed] [--trust-spki BASE64_SHA256]`;

let args;
try {
  args = parseArgs({
    options: {
      url: { type: 'string' },
      token: { type: 'string' },
      post: { type: 'string' },
      screenshot: { type: 'string' },
      'phone-screenshot': { type: 'string' },
      camera: { type: 'string', default: 'hand' },
      chromium: { type: 'string', default: process.env.TRYON_CHROMIUM || '/usr/bin/chromium' },
      'timeout-ms': { type: 'string', default: '240000' },
      headed: { type: 'boolean', default: false },
      // base64 SHA-256 of a server key to trust (an https:// URL whose
      // certificate comes from a local CA, e.g. scripts/cluster's).
      'trust-spki': { type: 'string' },
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
for (const need of ['url', 'token', 'post', 'screenshot']) {
  if (!args[need]) {
    console.error(`missing --${need}\n${usage}`);
    process.exit(2);
  }
}
if (args.camera !== 'hand' && args.camera !== 'pattern') {
  console.error(`--camera must be hand or pattern\n${usage}`);
  process.exit(2);
}
if (!existsSync(args.chromium)) {
  console.error(`Chromium not found at ${args.chromium} (install Debian's chromium package, or pass --chromium)`);
  process.exit(1);
}

const { chromium } = await import('playwright-core');
const { writeFakeHandVideo, SKIN, BACKGROUND } = await import('./fake_hand.mjs');

const baseUrl = new URL(args.url);
const origin = baseUrl.origin;
const pageUrl = (query) => {
  const u = new URL(baseUrl);
  u.search = new URLSearchParams(query).toString();
  return u.toString();
};

// ---- plumbing -------------------------------------------------------------------

const t0 = Date.now();
const since = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
const info = (text) => console.log(`[e2e ${since()}] ${text}`);

class CheckFailed extends Error {}
function check(cond, text) {
  if (!cond) throw new CheckFailed(text);
  info(`  ok: ${text}`);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns a truthy value; throws with `what` on timeout. */
async function until(what, fn, timeoutMs = 20000, everyMs = 200) {
  const end = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > end) throw new CheckFailed(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

const pageErrors = [];
const consoleLines = [];
/** Per page: what it sent on its WebSockets (init_session messages, frame headers). */
const sentByPage = new Map();
const MAX_HEADERS_KEPT = 200;

function watch(page, name) {
  const sent = { inits: [], headers: [], unreadable: [] };
  sentByPage.set(page, sent);
  page.on('websocket', (ws) => {
    ws.on('framesent', ({ payload }) => {
      if (typeof payload === 'string') {
        try {
          const msg = JSON.parse(payload);
          if (msg.type === 'init_session') sent.inits.push(msg);
        } catch {
          sent.unreadable.push(payload.slice(0, 80));
        }
        return;
      }
      // A frame: the 1024-byte NUL-padded JSON header, then the image.
      if (sent.headers.length >= MAX_HEADERS_KEPT) return;
      const end = payload.subarray(0, 1024).indexOf(0);
      try {
        const header = JSON.parse(payload.subarray(0, end < 0 ? 1024 : end).toString('utf8'));
        sent.headers.push({ ...header, sentAt: Date.now() });
      } catch {
        sent.unreadable.push(`binary message of ${payload.length} bytes`);
      }
    });
  });
  page.on('pageerror', (err) => {
    pageErrors.push(`${name}: ${err.message}`);
    info(`PAGE ERROR (${name}): ${err.message}`);
  });
  page.on('console', (msg) => {
    const line = `${name} console.${msg.type()}: ${msg.text()}`;
    consoleLines.push(line);
    if (msg.type() === 'error' || msg.type() === 'warning') info(line);
  });
  page.on('requestfailed', (req) => {
    // Aborted gallery reloads are expected; anything else is worth seeing.
    const why = req.failure() ? req.failure().errorText : '?';
    if (!/ERR_ABORTED/.test(why)) info(`request failed (${name}): ${req.method()} ${req.url()}: ${why}`);
  });
}

/** What the page shows: overlay counters, state, banner. */
async function readPage(page) {
  return page.evaluate(() => {
    const text = (id) => (document.getElementById(id) || {}).textContent || '';
    const num = (id) => Number(text(id));
    const banner = document.getElementById('banner');
    return {
      state: document.getElementById('stage').dataset.state,
      drawn: Number(document.getElementById('stage').dataset.frames || 0),
      sent: num('stat-sent'),
      received: num('stat-received'),
      sentFps: num('stat-sent-fps'),
      recvFps: num('stat-recv-fps'),
      p50: text('stat-p50'),
      p95: text('stat-p95'),
      dropped: num('stat-dropped'),
      confidence: num('stat-confidence'),
      banner: banner.hidden ? '' : text('banner-text'),
      bannerKey: banner.hidden ? '' : banner.dataset.key,
    };
  });
}

/** A hash of the rendered canvas's pixels, and whether it is not one flat colour. */
async function canvasFingerprint(page) {
  return page.evaluate(({ skin, background }) => {
    const c = document.getElementById('rendered');
    if (!c.width || !c.height) return { hash: 'empty', varied: false, w: 0, h: 0 };
    // A scaled copy: cheap to read, and the page's own canvas is left alone.
    const copy = document.createElement('canvas');
    copy.width = 192;
    copy.height = Math.max(1, Math.round((192 * c.height) / c.width));
    const cx = copy.getContext('2d', { willReadFrequently: true });
    cx.drawImage(c, 0, 0, copy.width, copy.height);
    const d = cx.getImageData(0, 0, copy.width, copy.height).data;
    let h = 0x811c9dc5;
    let min = 255;
    let max = 0;
    // Pixels far from the line between skin and background colour: neither
    // the synthetic hand, nor the backdrop, nor a blend of the two at their
    // edges, so painted by the renderer.
    const [sr, sg, sb] = skin;
    const [br, bg, bb] = background;
    const vr = sr - br;
    const vg = sg - bg;
    const vb = sb - bb;
    const vv = vr * vr + vg * vg + vb * vb;
    let painted = 0;
    for (let i = 0; i < d.length; i += 4) {
      const t = Math.max(0, Math.min(1, ((d[i] - br) * vr + (d[i + 1] - bg) * vg + (d[i + 2] - bb) * vb) / vv));
      const er = d[i] - (br + t * vr);
      const eg = d[i + 1] - (bg + t * vg);
      const eb = d[i + 2] - (bb + t * vb);
      if (er * er + eg * eg + eb * eb > 70 * 70) painted++;
      h = Math.imul(h ^ d[i], 16777619);
      h = Math.imul(h ^ d[i + 1], 16777619);
      h = Math.imul(h ^ d[i + 2], 16777619);
      const y = (d[i] + d[i + 1] + d[i + 2]) / 3;
      if (y < min) min = y;
      if (y > max) max = y;
    }
    return {
      hash: (h >>> 0).toString(16),
      varied: max - min > 20,
      painted: painted / (d.length / 4),
      w: c.width,
      h: c.height,
    };
  }, { skin: SKIN, background: BACKGROUND });
}

/**
 * What the page sent: every init_session opts in to stream hints
 * (docs/stream_hints.md), and every frame header has the capture time.
 */
function checkSent(page, name) {
  const sent = sentByPage.get(page);
  check(sent.inits.length >= 1, `${name}: the page sent init_session (${sent.inits.length})`);
  const bad = sent.inits.filter(
    (m) => !Array.isArray(m.capabilities) || m.capabilities.length !== 1 || m.capabilities[0] !== 'stream_hints',
  );
  check(
    bad.length === 0,
    `${name}: every init_session carries capabilities ["stream_hints"]${bad.length ? `: ${JSON.stringify(bad)}` : ''}`,
  );
  check(sent.headers.length >= 5, `${name}: frame headers seen (${sent.headers.length})`);
  const noTime = sent.headers.filter(
    (h) =>
      !Number.isInteger(h.sequence) ||
      typeof h.timestamp !== 'number' ||
      h.timestamp > h.sentAt + 1000 ||
      h.timestamp < h.sentAt - 60000,
  );
  check(
    noTime.length === 0,
    `${name}: every frame header has a sequence and a capture timestamp (ms since the epoch)` +
      (noTime.length ? `: ${JSON.stringify(noTime.slice(0, 3))}` : ''),
  );
  const unreadable = sent.unreadable.slice(0, 3).join('; ');
  check(sent.unreadable.length === 0, `${name}: every message sent was readable${unreadable ? `: ${unreadable}` : ''}`);
}

async function dumpPage(page, name) {
  try {
    const s = await readPage(page);
    info(`${name} state: ${JSON.stringify(s)}`);
    const logText = await page.evaluate(() =>
      [...document.querySelectorAll('#log li')].map((li) => li.textContent).join('\n'),
    );
    if (logText) info(`${name} event log:\n${logText}`);
  } catch (err) {
    info(`(could not read ${name}: ${err.message})`);
  }
}

// ---- the test -----------------------------------------------------------------------

const userDataDir = mkdtempSync(join(tmpdir(), 'tryon-e2e-chromium-'));
const scratch = mkdtempSync(join(tmpdir(), 'tryon-e2e-'));
let context;
let desktop;
let phone;
let failed = false;

const watchdog = setTimeout(() => {
  console.error(`[e2e ${since()}] FAILED: the whole test took longer than ${args['timeout-ms']} ms`);
  process.exit(1);
}, Number(args['timeout-ms']));

try {
  const camera = [];
  if (args.camera === 'hand') {
    // Chromium's fake camera plays this synthetic hand instead of its test
    // pattern, so that the reference AI has fingertips to paint.
    const video = join(scratch, 'hand.y4m');
    writeFakeHandVideo(video);
    camera.push(`--use-file-for-fake-video-capture=${video}`);
  }
  info(`launching ${args.chromium} (camera: ${args.camera})`);
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: args.chromium,
    headless: !args.headed,
    viewport: { width: 1280, height: 860 },
    args: [
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...camera,
      ...(args['trust-spki'] ? [`--ignore-certificate-errors-spki-list=${args['trust-spki']}`] : []),
    ],
  });
  await context.grantPermissions(['camera'], { origin });
  context.setDefaultTimeout(20000);

  desktop = context.pages()[0] || (await context.newPage());
  watch(desktop, 'desktop');

  // -- 1. the page is served, sign-in refuses a bad token, accepts the right one
  info('step: open the page and sign in');
  const res = await desktop.goto(pageUrl({ post: args.post }));
  check(res && res.status() === 200, `GET ${baseUrl.pathname} answers 200 (got ${res && res.status()})`);
  check(
    /text\/html/.test(res.headers()['content-type'] || ''),
    `the page is text/html (${res.headers()['content-type']})`,
  );
  await desktop.locator('#signin-view').waitFor({ state: 'visible' });
  await desktop.fill('#token-input', 'not-a-valid-token');
  await desktop.click('#signin-btn');
  const refused = await until('a sign-in error', async () => (await readPage(desktop)).banner);
  check(/Sign-in failed/.test(refused) && /401/.test(refused), `a wrong token is refused readably: "${refused}"`);
  await desktop.fill('#token-input', args.token);
  await desktop.click('#signin-btn');
  await desktop.locator('#app-view').waitFor({ state: 'visible' });
  check(true, 'signed in with the token');
  check(
    (await desktop.inputValue('#post-input')) === String(args.post),
    `the post id comes from ?post= (${args.post})`,
  );

  // -- 2. an unknown post is reported, not swallowed
  info('step: an unknown post gives a readable error');
  await desktop.fill('#post-input', '2147000000');
  await desktop.click('#start-btn');
  const unknown = await until('the unknown-post error', async () => {
    const b = (await readPage(desktop)).banner;
    return /Could not start a session/.test(b) ? b : null;
  });
  check(/not found.*HTTP 400/i.test(unknown), `unknown post: "${unknown}"`);
  await desktop.fill('#post-input', String(args.post));
  // The back camera is not mirrored: the test pattern's clock reads normally
  // in the screenshot.
  await desktop.selectOption('#facing-select', 'environment');

  // -- 3. a live session: frames go out and rendered frames come back
  info('step: start a session and stream');
  await desktop.click('#start-btn');
  await until('state live', async () => (await readPage(desktop)).state === 'live', 30000);
  check(true, 'session_ready received, state is live');
  const sessionId = await desktop.evaluate(() => document.body.dataset.sessionId);
  check(/^[0-9a-f-]{36}$/.test(sessionId || ''), `session id ${sessionId}`);
  await until('5 rendered frames', async () => (await readPage(desktop)).received >= 5, 40000);
  const a = await readPage(desktop);
  // At least 8 samples 300 ms apart, and on until 3 differ (a loaded
  // machine may render only a few frames per second), 15 s at most.
  const prints = [];
  const sampleEnd = Date.now() + 15000;
  while (prints.length < 8 || (new Set(prints.map((p) => p.hash)).size < 3 && Date.now() < sampleEnd)) {
    prints.push(await canvasFingerprint(desktop));
    await sleep(300);
  }
  const b = await readPage(desktop);
  const distinct = new Set(prints.map((p) => p.hash)).size;
  const lastPrint = prints[prints.length - 1];
  check(lastPrint.w > 0, `the rendered canvas has a size (${lastPrint.w}x${lastPrint.h})`);
  check(prints.some((p) => p.varied), 'the rendered image is not a flat colour');
  check(distinct >= 3, `the image on screen changes over time (${distinct} distinct of ${prints.length} samples)`);
  if (args.camera === 'hand') {
    const painted = Math.max(...prints.map((p) => p.painted));
    check(painted > 0.002, `nails are painted on the hand (${(painted * 100).toFixed(2)}% of the pixels in the design's colours)`);
    check(b.confidence > 0.5, `the overlay shows the hand confidence (${b.confidence})`);
  }
  check(b.sent > a.sent, `frames sent keep rising (${a.sent} -> ${b.sent})`);
  check(b.received > a.received, `frames received keep rising (${a.received} -> ${b.received})`);
  check(b.drawn > a.drawn, `frames drawn keep rising (${a.drawn} -> ${b.drawn})`);
  check(b.sentFps > 0 && b.recvFps > 0, `fps shown (sent ${b.sentFps}, received ${b.recvFps})`);
  check(/^\d+$/.test(b.p50) && /^\d+$/.test(b.p95), `latency p50/p95 shown (${b.p50}/${b.p95} ms)`);
  check(Number(b.p95) >= Number(b.p50), 'p95 >= p50');
  check(b.sent >= b.received, `never more received than sent (${b.sent} >= ${b.received})`);
  checkSent(desktop, 'desktop');

  // -- 4. pause stops the stream, resume restarts it
  info('step: pause and resume');
  await desktop.click('#pause-btn');
  await until('state paused', async () => (await readPage(desktop)).state === 'paused');
  check((await desktop.textContent('#pause-btn')).trim() === 'Resume', 'the button now says Resume');
  // Answers to frames sent before the pause may still arrive: wait until
  // nothing has come for 1.5 s.
  let settled = await readPage(desktop);
  let quietSince = Date.now();
  await until(
    'the stream to settle after pause',
    async () => {
      const now = await readPage(desktop);
      if (now.received !== settled.received) {
        settled = now;
        quietSince = Date.now();
      }
      return Date.now() - quietSince >= 1500;
    },
    20000,
  );
  const p1 = await readPage(desktop);
  await sleep(2000);
  const p2 = await readPage(desktop);
  check(p2.sent === p1.sent, `no frames sent while paused (${p1.sent} -> ${p2.sent})`);
  check(p2.received === p1.received, `no frames received while paused (${p1.received} -> ${p2.received})`);
  await desktop.click('#pause-btn');
  await until('state live again', async () => (await readPage(desktop)).state === 'live');
  await until(
    'frames after resume',
    async () => (await readPage(desktop)).received >= p2.received + 3,
    20000,
  );
  check(true, 'frames flow again after resume');

  // -- 5. capture: frame_saved, and the result in the gallery
  info('step: capture and see it in the gallery');
  await desktop.click('#capture-btn');
  const tryOnId = await until(
    'frame_saved',
    async () => {
      const s = await readPage(desktop);
      if (s.bannerKey === 'PROCESSING_FAILED' || s.bannerKey === 'NOTHING_TO_CAPTURE')
        throw new CheckFailed(`capture failed: ${s.banner}`);
      return desktop.evaluate(() => {
        const t = document.getElementById('toast');
        return !t.hidden && t.dataset.tryOnId ? t.dataset.tryOnId : null;
      });
    },
    20000,
  );
  check(Number(tryOnId) > 0, `frame_saved confirmed with try_on_id ${tryOnId}`);
  check(/Saved result #\d+/.test(await desktop.textContent('#toast')), 'the confirmation is shown');
  const thumb = desktop.locator(`#gallery li[data-id="${tryOnId}"] img`);
  await thumb.waitFor({ state: 'visible', timeout: 15000 });
  await until('the thumbnail to load', () => thumb.evaluate((img) => img.complete && img.naturalWidth > 0), 15000);
  check(true, `result ${tryOnId} is in the gallery with a loaded thumbnail`);
  check(
    (await desktop.locator('#gallery li').first().getAttribute('data-id')) === String(tryOnId),
    'the newest result comes first',
  );
  await thumb.click();
  await desktop.locator('#lightbox').waitFor({ state: 'visible' });
  await until('the full image', () =>
    desktop.evaluate(() => {
      const img = document.getElementById('lightbox-img');
      return img.complete && img.naturalWidth > 0;
    }),
  );
  const full = await desktop.evaluate(() => {
    const img = document.getElementById('lightbox-img');
    return { w: img.naturalWidth, h: img.naturalHeight, src: img.currentSrc };
  });
  check(full.w >= 160, `clicking shows the full image (${full.w}x${full.h})`);
  await desktop.click('#lightbox button[type=submit]');
  await desktop.locator('#lightbox').waitFor({ state: 'hidden' });

  // -- 6. the screenshot, while streaming
  await until('more frames', async () => (await readPage(desktop)).received >= b.received + 10, 20000);
  mkdirSync(dirname(resolve(args.screenshot)), { recursive: true });
  await desktop.screenshot({ path: args.screenshot });
  info(`screenshot: ${args.screenshot}`);
  const before4009 = await readPage(desktop);
  check(before4009.state === 'live', 'still live after capture');

  // -- 7. another connection takes the session over: 4009, shown, no reconnect
  info('step: a second connection to the session (close 4009)');
  phone = await context.newPage();
  watch(phone, 'phone');
  await phone.goto(pageUrl({}));
  const takeover = await phone.evaluate(
    ({ sessionId, token }) =>
      new Promise((resolveOpen, reject) => {
        const ws = new WebSocket(
          `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws/try-on/${sessionId}/?token=${encodeURIComponent(token)}`,
        );
        window.__takeover = ws;
        ws.onopen = () => resolveOpen('open');
        ws.onclose = (e) => reject(new Error(`takeover socket closed ${e.code}`));
      }),
    { sessionId, token: args.token },
  );
  check(takeover === 'open', 'a second WebSocket opened on the same session');
  const replaced = await until('the 4009 message', async () => {
    const s = await readPage(desktop);
    return s.state === 'ended' && /4009/.test(s.banner) ? s : null;
  });
  check(/another tab or on another device/.test(replaced.banner), `4009 is explained: "${replaced.banner}"`);
  await sleep(3000);
  const after = await readPage(desktop);
  check(after.state === 'ended', 'no automatic reconnect after 4009');
  await phone.evaluate(() => window.__takeover.close(1000));

  // -- 8. phone size, signed in straight from the ?token= link
  info('step: phone-sized screen from the ?token=&post= link, with an uploaded design');
  await phone.setViewportSize({ width: 390, height: 844 });
  await phone.goto(pageUrl({ token: args.token, post: args.post }));
  await phone.locator('#app-view').waitFor({ state: 'visible' });
  check(!new URL(phone.url()).searchParams.has('token'), 'the token is removed from the address bar');
  check((await phone.inputValue('#post-input')) === String(args.post), 'the post id is filled in');

  // Upload mode: a file that is not an image is refused readably, a real
  // one is uploaded and used as the design.
  await phone.check('input[name=source][value=upload]');
  await phone.locator('#upload-input').waitFor({ state: 'visible' });
  await phone.setInputFiles('#upload-input', {
    name: 'not-an-image.png',
    mimeType: 'image/png',
    buffer: Buffer.from('this is text, not a PNG'),
  });
  const refusedUpload = await until('the upload error', async () => {
    const s = await readPage(phone);
    return s.bannerKey === 'upload' ? s.banner : null;
  });
  check(/only JPEG, PNG and WebP.*HTTP 415/.test(refusedUpload), `a non-image upload is refused: "${refusedUpload}"`);
  const design = await phone.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = c.height = 96;
    const x = c.getContext('2d');
    x.fillStyle = '#c2185b';
    x.fillRect(0, 0, 96, 96);
    x.fillStyle = '#ffd1e1';
    x.beginPath();
    x.arc(48, 48, 20, 0, 2 * Math.PI);
    x.fill();
    return c.toDataURL('image/png').split(',')[1];
  });
  await phone.setInputFiles('#upload-input', {
    name: 'my-design.png',
    mimeType: 'image/png',
    buffer: Buffer.from(design, 'base64'),
  });
  await until('the upload to finish', () =>
    phone.evaluate(() => [...document.querySelectorAll('#log li')].some((li) => /uploaded my-design\.png/.test(li.textContent))),
  );
  check(await phone.isVisible('#upload-preview'), 'the uploaded design is uploaded and previewed');
  await phone.click('#start-btn');
  await until('phone: live', async () => (await readPage(phone)).state === 'live', 30000);
  await until('phone: rendered frames', async () => (await readPage(phone)).received >= 8, 40000);
  check(
    await phone.evaluate(() =>
      [...document.querySelectorAll('#log li')].some((li) => /session_ready \(upload mode\)/.test(li.textContent)),
    ),
    'the session renders the uploaded design (upload mode)',
  );
  checkSent(phone, 'phone');
  const layout = await phone.evaluate(() => {
    const r = (id) => document.getElementById(id).getBoundingClientRect();
    return {
      scrollWidth: document.documentElement.scrollWidth,
      stage: r('stage'),
      capture: r('capture-btn'),
    };
  });
  check(layout.scrollWidth <= 390, `no horizontal scrolling at 390 px (${layout.scrollWidth})`);
  check(layout.stage.width >= 340, `the rendered stream fills the width (${Math.round(layout.stage.width)} px)`);
  check(
    layout.capture.bottom <= 844 && layout.capture.height >= 40,
    `Capture is on screen and big enough to tap (bottom ${Math.round(layout.capture.bottom)}, height ${Math.round(layout.capture.height)})`,
  );
  if (args['phone-screenshot']) {
    mkdirSync(dirname(resolve(args['phone-screenshot'])), { recursive: true });
    await phone.screenshot({ path: args['phone-screenshot'] });
    info(`phone screenshot: ${args['phone-screenshot']}`);
  }
  await phone.click('#stop-btn');
  await until('phone: ended', async () => (await readPage(phone)).state === 'ended');
  check((await readPage(phone)).banner === '', 'stopping on purpose shows no error');

  check(pageErrors.length === 0, `no uncaught errors in the page${pageErrors.length ? `: ${pageErrors.join('; ')}` : ''}`);
  info('PASSED');
} catch (err) {
  failed = true;
  console.error(`[e2e ${since()}] FAILED: ${err instanceof CheckFailed ? '' : `${err.name}: `}${err.message}`);
  if (!(err instanceof CheckFailed) && err.stack) console.error(err.stack);
  for (const [page, name] of [
    [desktop, 'desktop'],
    [phone, 'phone'],
  ]) {
    if (!page || page.isClosed()) continue;
    await dumpPage(page, name);
    const shot = args.screenshot.replace(/(\.png)?$/, `-failed-${name}.png`);
    await page.screenshot({ path: shot }).then(
      () => info(`failure screenshot: ${shot}`),
      () => {},
    );
  }
} finally {
  clearTimeout(watchdog);
  if (context) await context.close().catch(() => {});
  rmSync(userDataDir, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
