// One live try-on session over the WebSocket of PROTOCOL.md §3: init, the
// camera frame loop with client-side flow control, processed frames,
// stream hints, pause/resume, capture, errors and reconnects.

import { encodeFrame } from './frame.js';
import { grabFrame, canEncode } from './camera.js';
import { STREAM_HINTS_CAPABILITY, captureSettings, describeHint, parseStreamHint } from './hints.js';
import { RateMeter, SampleWindow } from './stats.js';
import { describeClose, describeError, shouldReconnect } from './messages.js';

/** Frames sent and not yet answered (processed or reported dropped). */
export const MAX_IN_FLIGHT = 2;
/** An unanswered frame older than this no longer holds a slot. */
const IN_FLIGHT_TIMEOUT_MS = 3000;
/** Socket send buffer above which frames are dropped instead of queued. */
const MAX_BUFFERED_BYTES = 1 << 20;
const PING_INTERVAL_MS = 15000;
/** Frames of each format encoded before 'auto' settles on one. */
const PROBE_FRAMES = 3;
/** 'auto' keeps WebP while it encodes at most this much slower than JPEG. */
const WEBP_SLOWDOWN_OK = 1.3;
const RECONNECT_DELAYS_MS = [500, 1000, 2000, 4000, 8000, 10000, 10000, 10000];

/** The WebSocket URL of a session (the token goes in the query string). */
export function sessionSocketUrl(sessionId, token, loc = window.location) {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${loc.host}/ws/try-on/${encodeURIComponent(sessionId)}/?token=${encodeURIComponent(token)}`;
}

export class LiveSession extends EventTarget {
  /**
   * @param {object} o
   * @param {string} o.sessionId
   * @param {string} o.token
   * @param {HTMLVideoElement} o.video the camera
   * @param {'auto'|'jpeg'|'webp'} [o.format] frame encoding ('auto': where both
   *   this browser and the server support WebP, the first frames alternate
   *   WebP and JPEG and the page keeps WebP unless it encodes much slower)
   */
  constructor({ sessionId, token, video, format = 'auto' }) {
    super();
    this.sessionId = sessionId;
    this.token = token;
    this.video = video;
    this.formatChoice = format;
    this.encodeCanvas = document.createElement('canvas');
    this.state = 'idle';
    this.paused = false;
    this.config = null;
    this.hint = null; // the server's latest stream_hint (hints.js), null before one
    this.settings = captureSettings(null); // rate, quality and size of the frames sent
    this.format = null;
    this.probe = null; // {webp: [ms...], jpeg: [ms...]} while choosing

    this.sequence = 0;
    this.sent = 0;
    this.received = 0;
    this.clientDropped = 0;
    this.serverDropped = 0;
    this.timedOut = 0;
    this.errors = 0;
    this.pingMs = null;
    this.confidence = null;
    this.sentRate = new RateMeter();
    this.recvRate = new RateMeter();
    this.latency = new SampleWindow(120);

    this.ws = null;
    this.inFlight = new Map(); // sequence -> performance.now() at send
    this.pendingMeta = null;
    this.encoding = false;
    this.sending = false;
    this.ticking = false;
    this.tickStartedAt = 0;
    this.timer = 0;
    this.pingTimer = 0;
    this.reconnectTimer = 0;
    this.attempt = 0;
    this.userClosed = false;
    this.fatalError = null;
    this.everReady = false;
  }

  /** Figures for the overlay. */
  get stats() {
    const now = performance.now();
    return {
      state: this.state,
      sent: this.sent,
      received: this.received,
      sentFps: this.sentRate.rate(now),
      recvFps: this.recvRate.rate(now),
      p50: this.latency.percentile(50),
      p95: this.latency.percentile(95),
      clientDropped: this.clientDropped,
      serverDropped: this.serverDropped,
      timedOut: this.timedOut,
      inFlight: this.inFlight.size,
      format: this.format,
      targetFps: this.config ? this.config.target_fps : null,
      hint: this.hint,
      pingMs: this.pingMs,
      confidence: this.confidence,
    };
  }

  /** Opens the WebSocket and sends init_session once it is open. */
  connect() {
    clearTimeout(this.reconnectTimer);
    this.userClosed = false;
    this.fatalError = null;
    this.#setState(this.attempt ? 'reconnecting' : 'connecting');
    let ws;
    try {
      ws = new WebSocket(sessionSocketUrl(this.sessionId, this.token));
    } catch (err) {
      this.#emit('problem', { text: `Could not open the WebSocket: ${err.message}`, fatal: true });
      this.#setState('ended');
      return;
    }
    ws.binaryType = 'blob';
    this.ws = ws;
    ws.addEventListener('open', () => {
      if (ws !== this.ws) return;
      this.#log('WebSocket open: sending init_session');
      this.#setState('initializing');
      this.#sendJson(this.#initMessage());
      clearInterval(this.pingTimer);
      this.pingTimer = setInterval(() => this.#sendJson({ type: 'ping', timestamp: Date.now() }), PING_INTERVAL_MS);
    });
    ws.addEventListener('message', (ev) => {
      if (ws !== this.ws) return;
      if (typeof ev.data === 'string') this.#onText(ev.data);
      else this.#onBinary(ev.data);
    });
    ws.addEventListener('error', () => {
      if (ws === this.ws) this.#log('WebSocket error (the close that follows says more)', 'warn');
    });
    ws.addEventListener('close', (ev) => {
      if (ws === this.ws) this.#onClose(ev.code, ev.reason);
    });
  }

  pause() {
    if (this.paused) return;
    this.paused = true;
    this.#sendJson({ type: 'control', action: 'pause' });
    if (this.state === 'live') this.#setState('paused');
  }

  resume() {
    if (!this.paused) return;
    this.paused = false;
    // Frames sent just before the pause may never be answered.
    this.inFlight.clear();
    this.#sendJson({ type: 'control', action: 'resume' });
    if (this.state === 'paused') this.#setState('live');
  }

  /** Sends init_session again (after INIT_FAILED, which is recoverable). */
  reinit() {
    return this.#sendJson(this.#initMessage());
  }

  /** Asks the server to save the latest processed frame (answer: `saved`). */
  capture() {
    if (!this.#sendJson({ type: 'capture' })) {
      this.#emit('problem', { text: 'Cannot capture: not connected', fatal: false });
      return false;
    }
    return true;
  }

  /** Ends the session on purpose (close 1000, no reconnect). */
  stop() {
    this.userClosed = true;
    clearTimeout(this.reconnectTimer);
    this.#stopLoop();
    if (this.ws && this.ws.readyState <= WebSocket.OPEN) this.ws.close(1000, 'client stopped');
    this.#setState('ended');
  }

  // ---- incoming -----------------------------------------------------------

  #onText(text) {
    let msg;
    try {
      msg = JSON.parse(text);
    } catch {
      this.#log(`Unreadable text message from the server: ${text.slice(0, 120)}`, 'error');
      return;
    }
    switch (msg.type) {
      case 'session_ready':
        return this.#onReady(msg);
      case 'processed_frame':
        return this.#onProcessedMeta(msg);
      case 'frame_saved':
        this.#log(`frame_saved: result ${msg.try_on_id}`);
        return this.#emit('saved', { tryOnId: msg.try_on_id, msg });
      case 'pong':
        if (typeof msg.timestamp === 'number') this.pingMs = Date.now() - msg.timestamp;
        return;
      case 'stream_hint':
        return this.#onHint(msg);
      case 'error':
        return this.#onServerError(msg);
      default:
        this.#log(`Unknown message type from the server: ${msg.type}`, 'warn');
    }
  }

  #onReady(msg) {
    const first = !this.everReady;
    this.everReady = true;
    this.attempt = 0;
    this.config = msg.config || {};
    const fps = Number(this.config.target_fps) || 15;
    // The server starts every connection at the session_ready config: no
    // hint until it sends one.
    this.hint = null;
    this.settings = captureSettings(this.config, null);
    const supported = Array.isArray(this.config.supported_formats) ? this.config.supported_formats : ['jpeg'];
    if (!this.format || !supported.includes(this.format)) this.format = this.#pickFormat(supported);
    const sending = this.probe ? 'trying WebP and JPEG' : `sending ${this.format}`;
    this.#log(
      `session_ready (${msg.mode || '?'} mode): target ${fps} fps, max ${this.config.max_resolution || '?'}, ${sending}` +
        (first ? '' : ' (reconnected)'),
    );
    if (!first) {
      // State the pause/resume wish again: the server may have restarted.
      this.inFlight.clear();
      this.#sendJson({ type: 'control', action: this.paused ? 'pause' : 'resume' });
    }
    this.#setState(this.paused ? 'paused' : 'live');
    this.#emit('ready', { msg, first });
    this.#startLoop();
  }

  #onProcessedMeta(meta) {
    const now = performance.now();
    let sentAt = null;
    for (const [seq, at] of this.inFlight) {
      // Lower sequences were dropped by the server as stale; the answer to
      // the highest one stands for all of them.
      if (seq <= meta.sequence) {
        if (seq === meta.sequence) sentAt = at;
        this.inFlight.delete(seq);
      }
    }
    this.serverDropped += Number(meta.dropped_frames) || 0;
    if (typeof meta.confidence === 'number') this.confidence = meta.confidence;
    this.pendingMeta = { meta, sentAt, at: now };
  }

  #onBinary(blob) {
    const now = performance.now();
    const pending = this.pendingMeta;
    this.pendingMeta = null;
    if (!pending) this.#log('A processed image arrived without its processed_frame message', 'warn');
    if (pending && pending.sentAt !== null) this.latency.add(now - pending.sentAt);
    this.received++;
    this.recvRate.mark(now);
    this.#emit('frame', { blob, meta: pending ? pending.meta : null });
  }

  #onHint(msg) {
    if (this.state !== 'live' && this.state !== 'paused') {
      // Hints come after session_ready, which resets them.
      this.#log('Ignored a stream_hint that came before session_ready', 'warn');
      return;
    }
    const parsed = parseStreamHint(msg);
    if (!parsed.ok) {
      this.#log(`Ignored a malformed stream_hint: ${parsed.error}`, 'warn');
      return;
    }
    this.hint = parsed.hint;
    this.settings = captureSettings(this.config, this.hint);
    const clamped = parsed.adjusted.length ? ` (clamped: ${parsed.adjusted.join(', ')})` : '';
    this.#log(`stream_hint: ${describeHint(this.hint)}${clamped}`);
    // A new rate counts from the last frame, not from the next one.
    this.#scheduleTick();
  }

  #onServerError(msg) {
    this.errors++;
    const text = describeError(msg);
    if (msg.recoverable === false) this.fatalError = msg;
    this.#log(`error ${msg.code}: ${msg.message || ''}`, 'error');
    this.#emit('servererror', { msg, text, recoverable: msg.recoverable !== false });
  }

  #onClose(code, reason) {
    this.#stopLoop();
    clearInterval(this.pingTimer);
    this.ws = null;
    this.pendingMeta = null;
    this.inFlight.clear();
    const text = describeClose(code, reason);
    if (this.userClosed) {
      this.#log(`closed by this page (${code})`);
      this.#setState('ended');
      return;
    }
    const again =
      shouldReconnect(code, { fatalError: Boolean(this.fatalError) }) && this.attempt < RECONNECT_DELAYS_MS.length;
    this.#log(`WebSocket closed: ${code}${reason ? ` ${reason}` : ''}${again ? ' (will reconnect)' : ''}`, 'warn');
    if (again) {
      const delayMs = RECONNECT_DELAYS_MS[this.attempt];
      this.attempt++;
      this.#setState('reconnecting');
      this.#emit('closed', {
        code,
        reason,
        text,
        reconnecting: true,
        delayMs,
        attempt: this.attempt,
        maxAttempts: RECONNECT_DELAYS_MS.length,
      });
      this.reconnectTimer = setTimeout(() => this.connect(), delayMs);
      return;
    }
    this.#setState('ended');
    const gaveUp = shouldReconnect(code, { fatalError: Boolean(this.fatalError) });
    this.#emit('closed', { code, reason, text, reconnecting: false, gaveUp, fatalError: this.fatalError });
  }

  // ---- outgoing frames ------------------------------------------------------

  #pickFormat(supported) {
    const server = Array.isArray(supported) && supported.length ? supported : ['jpeg'];
    if (this.formatChoice === 'jpeg' || this.formatChoice === 'webp') {
      if (server.includes(this.formatChoice)) return this.formatChoice;
    }
    if (this.formatChoice !== 'jpeg' && server.includes('webp') && server.includes('jpeg') && canEncode('image/webp')) {
      // Measure both on real frames before settling (WebP is smaller, but
      // some browsers encode it several times slower than JPEG).
      if (!this.probe && this.formatChoice === 'auto') this.probe = { webp: [], jpeg: [] };
      return 'webp';
    }
    return 'jpeg';
  }

  /** Records an encode time while probing; settles the format after 3 of each. */
  #probeSample(format, ms) {
    const p = this.probe;
    if (!p) return;
    p[format].push(ms);
    if (p.webp.length < PROBE_FRAMES || p.jpeg.length < PROBE_FRAMES) {
      this.format = p.webp.length <= p.jpeg.length ? 'webp' : 'jpeg';
      return;
    }
    const mean = (a) => a.reduce((x, y) => x + y, 0) / a.length;
    const webp = mean(p.webp);
    const jpeg = mean(p.jpeg);
    this.probe = null;
    this.format = webp <= WEBP_SLOWDOWN_OK * jpeg ? 'webp' : 'jpeg';
    this.#log(`frame encoding: ${this.format} (encode time WebP ${webp.toFixed(0)} ms, JPEG ${jpeg.toFixed(0)} ms)`);
  }

  #startLoop() {
    if (this.sending) return;
    this.sending = true;
    // A tick still running (from before a reconnect) schedules the next one.
    if (!this.ticking) this.#runTick();
  }

  async #runTick() {
    if (!this.sending) return;
    this.ticking = true;
    this.tickStartedAt = performance.now();
    try {
      await this.#tick();
    } catch (err) {
      this.#log(`Could not send a frame: ${err.message}`, 'error');
    } finally {
      this.ticking = false;
    }
    this.#scheduleTick();
  }

  /** Schedules the next tick one frame period after the last one started. */
  #scheduleTick() {
    if (!this.sending || this.ticking) return;
    clearTimeout(this.timer);
    const wait = Math.max(0, this.settings.periodMs - (performance.now() - this.tickStartedAt));
    this.timer = setTimeout(() => this.#runTick(), wait);
  }

  #stopLoop() {
    this.sending = false;
    clearTimeout(this.timer);
  }

  async #tick() {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN || this.paused || document.hidden) return;
    const now = performance.now();
    for (const [seq, at] of this.inFlight) {
      if (now - at > IN_FLIGHT_TIMEOUT_MS) {
        this.inFlight.delete(seq);
        this.timedOut++;
      }
    }
    // The client drops too: never more than MAX_IN_FLIGHT unanswered frames,
    // and never a frame behind a full send buffer.
    if (this.inFlight.size >= MAX_IN_FLIGHT || ws.bufferedAmount > MAX_BUFFERED_BYTES || this.encoding) {
      this.clientDropped++;
      return;
    }
    this.encoding = true;
    const format = this.format;
    const encodeStart = performance.now();
    let grabbed;
    try {
      grabbed = await grabFrame(this.video, this.encodeCanvas, {
        shortSide: this.settings.shortSide,
        maxWidth: this.settings.maxWidth,
        mime: `image/${format}`,
        quality: this.settings.quality,
      });
    } finally {
      this.encoding = false;
    }
    if (!grabbed) return; // the camera has no frame yet
    this.#probeSample(format, performance.now() - encodeStart);
    const bytes = await grabbed.blob.arrayBuffer();
    if (ws !== this.ws || ws.readyState !== WebSocket.OPEN || this.paused) return;
    const sequence = ++this.sequence;
    // `timestamp`: the capture time, from which a server measures the uplink.
    const message = encodeFrame(
      { sequence, timestamp: grabbed.capturedAt, width: grabbed.width, height: grabbed.height, format },
      bytes,
    );
    ws.send(message);
    this.inFlight.set(sequence, performance.now());
    this.sent++;
    this.sentRate.mark();
  }

  // ---- helpers --------------------------------------------------------------

  /** init_session, opting in to stream hints (docs/stream_hints.md). */
  #initMessage() {
    return { type: 'init_session', capabilities: [STREAM_HINTS_CAPABILITY] };
  }

  #sendJson(obj) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(obj));
    return true;
  }

  #setState(state) {
    if (state === this.state) return;
    this.state = state;
    this.#emit('state', { state });
  }

  #log(text, level = 'info') {
    this.#emit('log', { text, level });
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
