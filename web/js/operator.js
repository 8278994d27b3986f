// The operator page (operator.html): polls /api/try-on/stats/ (staff only)
// and shows nodes, live sessions, fps in/out, drops, latency percentiles
// and the AI link state, with small live charts. See docs/web.md.

import { Api, ApiError } from './api.js';
import { LineChart, format } from './charts.js';

const TOKEN_KEY = 'tryon.token';
const params = new URLSearchParams(location.search);
const intervalMs = Math.max(500, Number(params.get('interval')) || 2000);
const $ = (id) => document.getElementById(id);

/** The token from ?token= (then removed from the address bar) or this tab's storage. */
function initialToken() {
  const fromUrl = params.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    params.delete('token');
    const q = params.toString();
    history.replaceState(null, '', location.pathname + (q ? `?${q}` : ''));
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

/**
 * Per-node rates from two samples of the same node: frames per second in
 * (received), out (processed) and dropped, over the nodes' own publication
 * times. Null when there is no earlier sample or no time passed (a stored
 * copy that did not change: the caller keeps the last rates).
 */
export function nodeRates(prev, cur) {
  if (!prev || !cur) return null;
  const dt = (Date.parse(cur.published_at) - Date.parse(prev.published_at)) / 1000;
  if (!(dt > 0)) return null;
  const d = (k) => Math.max(0, ((cur.frames?.[k] ?? 0) - (prev.frames?.[k] ?? 0)) / dt);
  return { in: d('received'), out: d('processed'), dropped: d('dropped') };
}

/** 'up' | 'down' | 'unknown' for a node's AI link. */
export function aiState(node) {
  const link = node.ai_link;
  if (!link || typeof link !== 'object') return 'unknown';
  return link.connections_up > 0 ? 'up' : 'down';
}

const state = {
  api: null,
  timer: 0,
  paused: false,
  prev: new Map(), // node id -> last sample
  rates: new Map(), // node id -> last rates
  charts: null,
};

function showBanner(text, level = 'error') {
  $('banner-text').textContent = text;
  $('banner').dataset.level = level;
  $('banner').hidden = false;
}

function hideBanner() {
  $('banner').hidden = true;
}

function showSignin(message) {
  clearTimeout(state.timer);
  $('board').hidden = true;
  $('signin').hidden = false;
  if (message) showBanner(message, 'warn');
}

function ms(v) {
  return Number.isFinite(v) ? `${format(v)} ms` : '–';
}

function cell(text, cls) {
  const td = document.createElement('td');
  td.textContent = text;
  if (cls) td.className = cls;
  return td;
}

function render(stats) {
  const nodes = stats.per_node && Object.keys(stats.per_node).length
    ? stats.per_node
    : { [stats.node_id || 'this node']: stats };
  const ids = Object.keys(nodes).sort();
  let sessions = 0;
  let fin = 0;
  let fout = 0;
  let drop = 0;
  let inFlight = 0;
  let p50 = null;
  let p95 = null;
  let p99 = null;
  let aiDown = 0;
  const rows = [];
  for (const id of ids) {
    const n = nodes[id];
    const r = nodeRates(state.prev.get(id), n);
    if (r) state.rates.set(id, r);
    if (!state.prev.has(id) || r) state.prev.set(id, n);
    const rates = state.rates.get(id);
    const live = n.live_sessions ?? n.websocket?.peers ?? 0;
    sessions += live;
    if (rates) {
      fin += rates.in;
      fout += rates.out;
      drop += rates.dropped;
    }
    inFlight += n.ai_link?.in_flight ?? 0;
    const e2e = n.latency_ms?.end_to_end ?? {};
    const ai = n.latency_ms?.processing ?? {};
    // The cluster's worst node: what an operator must see first.
    if (e2e.window_count > 0) {
      p50 = Math.max(p50 ?? 0, e2e.p50);
      p95 = Math.max(p95 ?? 0, e2e.p95);
      p99 = Math.max(p99 ?? 0, e2e.p99);
    }
    const link = aiState(n);
    if (link !== 'up') aiDown++;
    const tr = document.createElement('tr');
    tr.dataset.node = id;
    tr.append(
      cell(id),
      cell(format(live)),
      cell(rates ? format(rates.in) : '–'),
      cell(rates ? format(rates.out) : '–'),
      cell(rates ? format(rates.dropped) : '–'),
      cell(ms(e2e.p50)),
      cell(ms(e2e.p95)),
      cell(ms(e2e.p99)),
      cell(ms(ai.p50)),
      cell(ms(ai.p99)),
      cell(link === 'up'
        ? `up ${n.ai_link.connections_up}/${n.ai_link.connections_total}`
        : link, link === 'up' ? 'state-up' : 'state-down'),
      cell(format(n.ai_link?.in_flight ?? null)),
      cell(format(n.errors?.total ?? null)),
      cell(n.process?.rss_bytes ? `${format(n.process.rss_bytes / 1048576)} MiB` : '–'),
      cell(n.process?.open_fds ? `${n.process.open_fds}/${n.process.max_fds}` : '–'),
      cell(n.process?.uptime_s !== undefined ? `${format(n.process.uptime_s)} s` : '–'),
    );
    rows.push(tr);
  }
  for (const id of [...state.prev.keys()]) if (!(id in nodes)) { state.prev.delete(id); state.rates.delete(id); }
  $('nodes').tBodies[0].replaceChildren(...rows);

  $('t-nodes').textContent = `${ids.length}`;
  $('t-sessions').textContent = format(sessions);
  $('t-fps-in').textContent = format(fin);
  $('t-fps-out').textContent = format(fout);
  const accepted = fout + drop;
  $('t-drops').textContent = accepted > 0 ? `${format((100 * drop) / accepted)} %` : '0 %';
  $('t-drops').className = `value ${accepted > 0 && drop / accepted > 0.25 ? 'warn' : ''}`;
  $('t-ai').textContent = aiDown === 0 ? 'up' : `${aiDown} node${aiDown > 1 ? 's' : ''} down`;
  $('t-ai').className = `value ${aiDown === 0 ? 'ok' : 'err'}`;

  const by = stats.sessions_by_status;
  $('by-status').textContent = by && typeof by === 'object'
    ? Object.entries(by).map(([k, v]) => `${k} ${v}`).join(', ')
    : 'unavailable';
  $('updated').textContent = `updated ${new Date().toLocaleTimeString()}`;

  state.charts.fps.push([fin, fout, drop]);
  state.charts.latency.push([p50, p95, p99]);
  state.charts.sessions.push([sessions, inFlight]);
  document.body.dataset.samples = `${Number(document.body.dataset.samples || 0) + 1}`;
}

async function poll() {
  clearTimeout(state.timer);
  try {
    const stats = await state.api.request('GET', '/api/try-on/stats/');
    hideBanner();
    $('signin').hidden = true;
    $('board').hidden = false;
    render(stats);
  } catch (err) {
    if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
      sessionStorage.removeItem(TOKEN_KEY);
      showSignin(err.status === 403
        ? 'This page is for staff: the token is valid but not a staff user\'s (HTTP 403).'
        : `The server did not accept the token (HTTP 401).`);
      return;
    }
    showBanner(`Could not read the figures: ${err.message}. Retrying.`);
  }
  if (!state.paused) state.timer = setTimeout(poll, intervalMs);
}

function start(token) {
  state.api = new Api(token);
  state.prev.clear();
  state.rates.clear();
  poll();
}

function main() {
  state.charts = {
    fps: new LineChart($('c-fps'), 3),
    latency: new LineChart($('c-latency'), 3),
    sessions: new LineChart($('c-sessions'), 2),
  };
  $('signin-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const token = $('token-input').value.trim();
    if (!token) return;
    sessionStorage.setItem(TOKEN_KEY, token);
    $('token-input').value = '';
    start(token);
  });
  $('pause').addEventListener('click', () => {
    state.paused = !state.paused;
    $('pause').textContent = state.paused ? 'Resume' : 'Pause';
    if (state.paused) clearTimeout(state.timer);
    else if (state.api) poll();
  });
  const token = initialToken();
  if (token) start(token);
  else showSignin();
}

main();
