// The page: sign-in, design choice, the live stream with its overlay and
// controls, errors, and the gallery of saved results.

import { Api, ApiError } from './api.js';
import { LiveSession } from './session.js';
import { startCamera, stopCamera } from './camera.js';
import { describeCameraError, describeError } from './messages.js';
import { describeHint } from './hints.js';

const $ = (id) => document.getElementById(id);

const TOKEN_KEY = 'tryon.token';
const LOG_LIMIT = 200;

const ui = {
  account: $('account'),
  accountText: $('account-text'),
  signOut: $('sign-out'),
  banner: $('banner'),
  bannerText: $('banner-text'),
  bannerAction: $('banner-action'),
  bannerClose: $('banner-close'),
  signinView: $('signin-view'),
  signinForm: $('signin-form'),
  tokenInput: $('token-input'),
  signinBtn: $('signin-btn'),
  appView: $('app-view'),
  stage: $('stage'),
  rendered: $('rendered'),
  placeholder: $('stage-placeholder'),
  camera: $('camera'),
  badge: $('state-badge'),
  statSentFps: $('stat-sent-fps'),
  statRecvFps: $('stat-recv-fps'),
  statP50: $('stat-p50'),
  statP95: $('stat-p95'),
  statDropped: $('stat-dropped'),
  statDroppedServer: $('stat-dropped-server'),
  statDroppedClient: $('stat-dropped-client'),
  statConfidence: $('stat-confidence'),
  statSent: $('stat-sent'),
  statReceived: $('stat-received'),
  statHintRow: $('stat-hint-row'),
  statHint: $('stat-hint'),
  statHintReason: $('stat-hint-reason'),
  pauseBtn: $('pause-btn'),
  captureBtn: $('capture-btn'),
  stopBtn: $('stop-btn'),
  designForm: $('design-form'),
  postField: $('post-field'),
  postInput: $('post-input'),
  uploadField: $('upload-field'),
  uploadInput: $('upload-input'),
  uploadPreview: $('upload-preview'),
  facing: $('facing-select'),
  startBtn: $('start-btn'),
  sessionInfo: $('session-info'),
  gallery: $('gallery'),
  galleryEmpty: $('gallery-empty'),
  galleryRefresh: $('gallery-refresh'),
  log: $('log'),
  lightbox: $('lightbox'),
  lightboxImg: $('lightbox-img'),
  lightboxTitle: $('lightbox-title'),
  lightboxOpen: $('lightbox-open'),
  toast: $('toast'),
};

const params = new URLSearchParams(window.location.search);

const app = {
  api: null,
  session: null,
  stream: null, // the camera's MediaStream
  statsTimer: 0,
  upload: null, // {file, url, promise}
  bannerKey: null,
  bannerCount: 0,
  bannerHandler: null,
  captureTimer: 0,
  drawing: false,
  nextBlob: null,
  newestResult: null,
};

// ---- log, banner, toast -------------------------------------------------------

function log(text, level = 'info') {
  const li = document.createElement('li');
  li.className = level;
  li.textContent = `${new Date().toLocaleTimeString()} ${text}`;
  ui.log.append(li);
  while (ui.log.children.length > LOG_LIMIT) ui.log.firstElementChild.remove();
  ui.log.scrollTop = ui.log.scrollHeight;
  if (level === 'error') console.warn(`[tryon] ${text}`);
}

/**
 * Shows a message at the top. `key` groups repeats (shown with a count);
 * `action` is an optional {label, run} button.
 */
function showBanner(text, { level = 'error', key = text, action = null, count = true } = {}) {
  if (count && key === app.bannerKey && !ui.banner.hidden) {
    app.bannerCount++;
  } else {
    app.bannerKey = key;
    app.bannerCount = 1;
  }
  ui.banner.dataset.level = level;
  ui.banner.dataset.key = key;
  ui.bannerText.textContent = app.bannerCount > 1 ? `${text} (×${app.bannerCount})` : text;
  app.bannerHandler = action ? action.run : null;
  ui.bannerAction.hidden = !action;
  if (action) ui.bannerAction.textContent = action.label;
  ui.banner.hidden = false;
}

function hideBanner(key) {
  if (key && app.bannerKey !== key) return;
  ui.banner.hidden = true;
  app.bannerKey = null;
  app.bannerHandler = null;
}

let toastTimer = 0;
function toast(text) {
  ui.toast.textContent = text;
  ui.toast.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (ui.toast.hidden = true), 4000);
}

ui.bannerClose.addEventListener('click', () => hideBanner());
ui.bannerAction.addEventListener('click', () => {
  const run = app.bannerHandler;
  hideBanner();
  if (run) run();
});

// ---- sign-in ----------------------------------------------------------------------

function readInitialToken() {
  const fromUrl = params.get('token');
  if (fromUrl) {
    // Keep the token out of the address bar, history and bookmarks.
    params.delete('token');
    const rest = params.toString();
    history.replaceState(null, '', `${location.pathname}${rest ? `?${rest}` : ''}${location.hash}`);
    return fromUrl.trim();
  }
  try {
    return sessionStorage.getItem(TOKEN_KEY) || '';
  } catch {
    return '';
  }
}

async function signIn(token) {
  token = token.trim();
  if (!token) {
    showBanner('Paste your API token to sign in.', { level: 'warn', key: 'signin' });
    return false;
  }
  ui.signinBtn.disabled = true;
  const api = new Api(token);
  try {
    await api.checkToken();
  } catch (err) {
    ui.signinBtn.disabled = false;
    showSignIn();
    showBanner(
      err instanceof ApiError && err.status === 401
        ? `Sign-in failed: the server did not accept this token (HTTP 401).`
        : `Sign-in failed: ${err.message}`,
      { key: 'signin' },
    );
    log(`sign-in failed: ${err.message}`, 'error');
    return false;
  }
  ui.signinBtn.disabled = false;
  app.api = api;
  try {
    sessionStorage.setItem(TOKEN_KEY, token);
  } catch {
    /* private mode: stay signed in for this page only */
  }
  hideBanner('signin');
  ui.signinView.hidden = true;
  ui.appView.hidden = false;
  ui.account.hidden = false;
  ui.accountText.textContent = `(token …${token.slice(-4)})`;
  log('signed in');
  loadGallery();
  return true;
}

function showSignIn() {
  ui.appView.hidden = true;
  ui.account.hidden = true;
  ui.signinView.hidden = false;
  ui.tokenInput.focus();
}

function signOut() {
  endSession();
  app.api = null;
  try {
    sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    /* ignore */
  }
  ui.tokenInput.value = '';
  ui.gallery.replaceChildren();
  hideBanner();
  showSignIn();
  log('signed out');
}

ui.signinForm.addEventListener('submit', (ev) => {
  ev.preventDefault();
  signIn(ui.tokenInput.value);
});
ui.signOut.addEventListener('click', signOut);

// ---- design choice ----------------------------------------------------------------

function designSource() {
  return ui.designForm.elements.source.value;
}

ui.designForm.addEventListener('change', (ev) => {
  if (ev.target.name === 'source') {
    const upload = designSource() === 'upload';
    ui.postField.hidden = upload;
    ui.uploadField.hidden = !upload;
  }
});

ui.uploadInput.addEventListener('change', () => {
  const file = ui.uploadInput.files && ui.uploadInput.files[0];
  if (ui.uploadPreview.src) URL.revokeObjectURL(ui.uploadPreview.src);
  app.upload = null;
  if (!file) {
    ui.uploadPreview.hidden = true;
    return;
  }
  ui.uploadPreview.src = URL.createObjectURL(file);
  ui.uploadPreview.hidden = false;
  const entry = { file, url: null, promise: null };
  entry.promise = app.api.upload(file, 'nail_reference').then(
    (res) => {
      entry.url = res.url;
      log(`uploaded ${file.name}: ${res.url}`);
      hideBanner('upload');
      return res.url;
    },
    (err) => {
      showBanner(`Upload of ${file.name} failed: ${err.message}`, { key: 'upload' });
      log(`upload failed: ${err.message}`, 'error');
      throw err;
    },
  );
  entry.promise.catch(() => {});
  app.upload = entry;
});

async function sessionBody() {
  if (designSource() === 'upload') {
    if (!app.upload) throw new Error('Choose an image to upload first.');
    const url = await app.upload.promise.catch((err) => {
      throw new Error(`The design image was not uploaded: ${err.message}`);
    });
    return { nail_reference_url: url };
  }
  const raw = ui.postInput.value.trim();
  const id = Number(raw);
  if (!raw || !Number.isInteger(id) || id < 1) throw new Error('Enter the id of a post (a positive number).');
  return { nail_post_id: id };
}

// ---- the live session -------------------------------------------------------------

function setStageState(state) {
  ui.stage.dataset.state = state;
  ui.badge.textContent = state;
  const live = state === 'live' || state === 'paused';
  ui.pauseBtn.disabled = !live;
  ui.captureBtn.disabled = !live || app.captureTimer !== 0;
  ui.stopBtn.disabled = state === 'idle' || state === 'ended';
  ui.pauseBtn.textContent = state === 'paused' ? 'Resume' : 'Pause';
  ui.startBtn.disabled = !(state === 'idle' || state === 'ended');
  ui.placeholder.hidden = state !== 'idle';
}

ui.designForm.addEventListener('submit', (ev) => {
  ev.preventDefault();
  startSession();
});

async function startSession() {
  if (app.session) endSession();
  hideBanner();
  ui.startBtn.disabled = true;
  let body;
  let created;
  try {
    body = await sessionBody();
    created = await app.api.createSession(body);
  } catch (err) {
    ui.startBtn.disabled = false;
    if (err instanceof ApiError && err.status === 401) {
      showSignIn();
      showBanner(`Your token is no longer accepted: sign in again. ${err.message}`, { key: 'signin' });
    } else {
      showBanner(`Could not start a session: ${err.message}`, { key: 'start' });
    }
    log(`session create failed: ${err.message}`, 'error');
    return;
  }
  log(`session ${created.session_id} created (expires ${created.expires_at})`);
  ui.sessionInfo.hidden = false;
  ui.sessionInfo.textContent = `Session ${created.session_id.slice(0, 8)}… expires ${new Date(created.expires_at).toLocaleTimeString()}`;
  document.body.dataset.sessionId = created.session_id;

  const mirror = ui.facing.value === 'user';
  ui.camera.classList.toggle('mirror', mirror);
  ui.rendered.classList.toggle('mirror', mirror);

  const session = new LiveSession({
    sessionId: created.session_id,
    token: app.api.token,
    video: ui.camera,
    format: params.get('format') || 'auto',
  });
  app.session = session;
  session.addEventListener('state', (e) => {
    if (session === app.session) setStageState(e.detail.state);
  });
  session.addEventListener('log', (e) => log(e.detail.text, e.detail.level));
  session.addEventListener('ready', (e) => onReady(session, e.detail));
  session.addEventListener('frame', (e) => showFrame(e.detail.blob));
  session.addEventListener('saved', (e) => onSaved(e.detail.tryOnId));
  session.addEventListener('servererror', (e) => onServerError(session, e.detail));
  session.addEventListener('closed', (e) => onClosed(session, e.detail));
  session.addEventListener('problem', (e) => showBanner(e.detail.text, { level: e.detail.fatal ? 'error' : 'warn' }));
  setStageState('connecting');
  // On a phone the Start button is below the stage: bring the stream into view.
  window.scrollTo({ top: 0, behavior: 'smooth' });
  session.connect();
  clearInterval(app.statsTimer);
  app.statsTimer = setInterval(updateOverlay, 250);
}

async function onReady(session, { first }) {
  hideBanner('reconnect');
  hideBanner('init');
  if (!first || app.stream) return;
  try {
    app.stream = await startCamera(ui.camera, ui.facing.value);
    const track = app.stream.getVideoTracks()[0];
    const s = track && track.getSettings ? track.getSettings() : {};
    log(`camera on: ${track ? track.label : '?'} ${s.width || '?'}x${s.height || '?'}`);
  } catch (err) {
    const text = describeCameraError(err);
    log(`camera failed: ${err.name}: ${err.message}`, 'error');
    if (session === app.session) endSession();
    showBanner(text, { key: 'camera', action: { label: 'Try again', run: startSession } });
  }
}

function showFrame(blob) {
  // Decode the newest frame only; frames arriving during a decode replace
  // each other.
  app.nextBlob = blob;
  if (app.drawing) return;
  app.drawing = true;
  (async () => {
    while (app.nextBlob) {
      const next = app.nextBlob;
      app.nextBlob = null;
      try {
        const bitmap = await createImageBitmap(next);
        const c = ui.rendered;
        if (c.width !== bitmap.width || c.height !== bitmap.height) {
          c.width = bitmap.width;
          c.height = bitmap.height;
          // The stage takes the stream's shape (landscape webcam, portrait phone).
          ui.stage.style.aspectRatio = `${bitmap.width} / ${bitmap.height}`;
        }
        c.getContext('2d').drawImage(bitmap, 0, 0);
        bitmap.close();
        ui.stage.dataset.frames = String((Number(ui.stage.dataset.frames) || 0) + 1);
      } catch (err) {
        log(`A rendered frame could not be decoded: ${err.message}`, 'warn');
      }
    }
    app.drawing = false;
  })();
}

function fmt(n, digits = 1) {
  return n === null || n === undefined || Number.isNaN(n) ? '–' : n.toFixed(digits);
}

function updateOverlay() {
  const s = app.session;
  if (!s) return;
  const st = s.stats;
  ui.statSentFps.textContent = fmt(st.sentFps);
  ui.statRecvFps.textContent = fmt(st.recvFps);
  ui.statP50.textContent = fmt(st.p50, 0);
  ui.statP95.textContent = fmt(st.p95, 0);
  const pageDropped = st.clientDropped + st.timedOut;
  ui.statDropped.textContent = String(st.serverDropped + pageDropped);
  ui.statDroppedServer.textContent = String(st.serverDropped);
  ui.statDroppedClient.textContent = String(pageDropped);
  ui.statConfidence.textContent = fmt(st.confidence, 2);
  ui.statSent.textContent = String(st.sent);
  ui.statReceived.textContent = String(st.received);
  // The server's stream hint, while one is in force (docs/stream_hints.md);
  // the reason is left out on a phone, as the other <small> details.
  ui.statHintRow.hidden = !st.hint;
  ui.statHint.textContent = st.hint ? describeHint({ ...st.hint, reason: null }) : '';
  ui.statHintReason.textContent = st.hint && st.hint.reason ? `(${st.hint.reason})` : '';
}

function onServerError(session, { msg, text, recoverable }) {
  if (session !== app.session) return;
  switch (msg.code) {
    case 'NOTHING_TO_CAPTURE':
    case 'PROCESSING_FAILED':
      if (app.captureTimer) {
        captureDone();
        text = `Capture failed. ${text}`;
      }
      break;
    case 'INIT_FAILED':
      showBanner(text, { key: 'init', action: { label: 'Retry', run: () => session.reinit() } });
      return;
    default:
      break;
  }
  showBanner(text, { level: recoverable ? 'warn' : 'error', key: msg.code });
}

function onClosed(session, d) {
  if (session !== app.session) return;
  if (d.reconnecting) {
    showBanner(`${d.text}. Reconnecting in ${(d.delayMs / 1000).toFixed(1)} s (attempt ${d.attempt} of ${d.maxAttempts})…`, {
      level: 'warn',
      key: 'reconnect',
      count: false,
    });
    return;
  }
  stopStreamingUi();
  let action = { label: 'Start a new session', run: startSession };
  let text = d.text;
  if (d.code === 4001) {
    action = { label: 'Sign in again', run: signOut };
  } else if (d.code === 4009) {
    text += '. This page will not reconnect by itself';
    action = {
      label: 'Take it back',
      run: () => {
        if (app.session === session) {
          setStageState('connecting');
          session.connect();
          restartCameraIfNeeded(session);
        }
      },
    };
  } else if (d.fatalError) {
    text = `${describeError(d.fatalError)}. ${text}`;
  } else if (d.gaveUp) {
    text += '. Gave up reconnecting';
  }
  showBanner(text, { level: d.code === 1000 ? 'info' : 'error', key: `close-${d.code}`, action });
}

async function restartCameraIfNeeded(session) {
  if (app.stream || session !== app.session) return;
  try {
    app.stream = await startCamera(ui.camera, ui.facing.value);
  } catch (err) {
    showBanner(describeCameraError(err), { key: 'camera' });
  }
}

/** After the connection ended for good: camera off, controls reset. */
function stopStreamingUi() {
  stopCamera(app.stream, ui.camera);
  app.stream = null;
  if (app.captureTimer) captureDone();
  updateOverlay();
}

function endSession() {
  const s = app.session;
  if (!s) return;
  app.session = null;
  s.stop();
  stopStreamingUi();
  clearInterval(app.statsTimer);
  setStageState('ended');
  log('session stopped');
}

ui.pauseBtn.addEventListener('click', () => {
  const s = app.session;
  if (!s) return;
  if (s.paused) {
    s.resume();
    log('resumed');
  } else {
    s.pause();
    log('paused');
  }
  setStageState(s.state);
});

ui.stopBtn.addEventListener('click', () => endSession());

ui.captureBtn.addEventListener('click', () => {
  const s = app.session;
  if (!s || !s.capture()) return;
  log('capture requested');
  ui.captureBtn.disabled = true;
  ui.captureBtn.textContent = 'Saving…';
  app.captureTimer = setTimeout(() => {
    captureDone();
    showBanner('The server did not confirm the capture within 15 s.', { level: 'warn', key: 'capture' });
  }, 15000);
});

function captureDone() {
  clearTimeout(app.captureTimer);
  app.captureTimer = 0;
  ui.captureBtn.textContent = 'Capture';
  const st = app.session ? app.session.state : 'ended';
  ui.captureBtn.disabled = !(st === 'live' || st === 'paused');
}

function onSaved(tryOnId) {
  captureDone();
  hideBanner('capture');
  toast(`Saved result #${tryOnId}`);
  ui.toast.dataset.tryOnId = String(tryOnId);
  app.newestResult = tryOnId;
  loadGallery();
}

window.addEventListener('pagehide', () => {
  if (app.session) app.session.stop();
});

// ---- gallery ----------------------------------------------------------------------

/** Falls back to this page's origin when an absolute media URL fails (e.g.
 * TRYON_PUBLIC_URL names 127.0.0.1 and the page was opened by another host). */
function withMediaFallback(img, url) {
  img.src = url;
  img.addEventListener(
    'error',
    () => {
      try {
        const u = new URL(url, location.href);
        if (u.origin !== location.origin && u.pathname.startsWith('/media/')) {
          img.src = u.pathname;
          return;
        }
      } catch {
        /* fall through */
      }
      img.alt = 'image unavailable';
      log(`could not load ${url}`, 'warn');
    },
    { once: true },
  );
}

let galleryLoading = null;
async function loadGallery() {
  if (!app.api) return;
  if (galleryLoading) galleryLoading.abort();
  const ctl = new AbortController();
  galleryLoading = ctl;
  let results;
  try {
    results = await app.api.request('GET', '/api/try-on/results/?limit=24', { signal: ctl.signal });
  } catch (err) {
    if (err.name === 'AbortError') return;
    showBanner(`Could not load your saved results: ${err.message}`, {
      level: 'warn',
      key: 'gallery',
      action: { label: 'Retry', run: loadGallery },
    });
    return;
  } finally {
    if (galleryLoading === ctl) galleryLoading = null;
  }
  if (!Array.isArray(results)) results = [];
  const items = results.map((r) => {
    const li = document.createElement('li');
    li.dataset.id = String(r.id);
    if (r.id === app.newestResult) li.className = 'new';
    const btn = document.createElement('button');
    btn.type = 'button';
    btn.title = `Result #${r.id}, ${new Date(r.created_at).toLocaleString()}`;
    const img = document.createElement('img');
    img.loading = 'lazy';
    img.decoding = 'async';
    img.alt = `Result #${r.id}`;
    withMediaFallback(img, r.thumbnail || r.processed_image);
    btn.append(img);
    btn.addEventListener('click', () => openResult(r));
    li.append(btn);
    return li;
  });
  ui.gallery.replaceChildren(...items);
  ui.galleryEmpty.hidden = items.length > 0;
}

ui.galleryRefresh.addEventListener('click', loadGallery);

function openResult(r) {
  ui.lightboxTitle.textContent =
    `Result #${r.id} · ${new Date(r.created_at).toLocaleString()}` +
    (typeof r.confidence_score === 'number' ? ` · confidence ${r.confidence_score.toFixed(2)}` : '');
  ui.lightboxOpen.href = r.processed_image;
  ui.lightboxImg.alt = `Result #${r.id}`;
  ui.lightboxImg.removeAttribute('src');
  withMediaFallback(ui.lightboxImg, r.processed_image);
  ui.lightbox.dataset.id = String(r.id);
  ui.lightbox.showModal();
}

ui.lightbox.addEventListener('click', (ev) => {
  if (ev.target === ui.lightbox) ui.lightbox.close();
});

// ---- start-up ----------------------------------------------------------------------

ui.postInput.value = params.get('post') || '';
setStageState('idle');
const initialToken = readInitialToken();
if (initialToken) {
  ui.tokenInput.value = initialToken;
  signIn(initialToken);
} else {
  showSignIn();
}
