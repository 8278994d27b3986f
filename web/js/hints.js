// Stream hints (docs/stream_hints.md): the server's advice on how fast, at
// what quality and how large this page should send its frames, turned into
// capture settings. Pure functions, no DOM: tests/web/hints.test.mjs runs
// them in node.

/** What `init_session` lists in `capabilities` to receive `stream_hint`s. */
export const STREAM_HINTS_CAPABILITY = 'stream_hints';

/** The ranges of the protocol; a hint's values outside them are clamped. */
export const HINT_FPS = Object.freeze({ min: 1, max: 25 });
export const HINT_QUALITY = Object.freeze({ min: 30, max: 90 });
/**
 * The protocol gives `max_width` no range; the page never goes below this
 * many pixels (a smaller value is raised to it) and never scales up.
 */
export const MIN_MAX_WIDTH = 160;

/** Before any hint: the page's own choices (the behavior without hints). */
export const DEFAULT_FPS = 15; // when session_ready names no target_fps
export const DEFAULT_QUALITY = 0.75;
/** The page never paces faster than this, whatever target_fps says. */
const MAX_FPS = 60;

/** The short-side pixel limit for a `max_resolution` such as "720p". */
export function shortSideLimit(maxResolution) {
  const m = /^(\d+)p$/.exec(String(maxResolution || ''));
  return m ? Number(m[1]) : 720;
}

/**
 * Checks a `stream_hint` message and clamps its values to the protocol's
 * ranges (non-integers are rounded). A hint without a number for `fps`,
 * `jpeg_quality` or `max_width` is malformed: a new hint replaces the
 * previous one entirely, so a partial one cannot be followed.
 * `reason` and `timestamp` are informational: kept when well-formed, else null.
 * @returns {{ok: true, hint: {fps:number, quality:number, maxWidth:number,
 *   reason:string|null, timestamp:number|null}, adjusted: string[]} |
 *   {ok: false, error: string}} `adjusted` says which values were clamped
 */
export function parseStreamHint(msg) {
  if (!msg || typeof msg !== 'object' || Array.isArray(msg)) return { ok: false, error: 'not a JSON object' };
  if (msg.type !== 'stream_hint') {
    return { ok: false, error: `type is ${JSON.stringify(msg.type)}, not "stream_hint"` };
  }
  const adjusted = [];
  const field = (name, min, max) => {
    const raw = msg[name];
    if (typeof raw !== 'number' || !Number.isFinite(raw)) return null;
    const value = Math.min(max, Math.max(min, Math.round(raw)));
    if (value !== raw) adjusted.push(`${name} ${raw} → ${value}`);
    return value;
  };
  const fps = field('fps', HINT_FPS.min, HINT_FPS.max);
  const quality = field('jpeg_quality', HINT_QUALITY.min, HINT_QUALITY.max);
  const maxWidth = field('max_width', MIN_MAX_WIDTH, Number.MAX_SAFE_INTEGER);
  const missing = [
    ['fps', fps],
    ['jpeg_quality', quality],
    ['max_width', maxWidth],
  ]
    .filter(([, v]) => v === null)
    .map(([name]) => name);
  if (missing.length) return { ok: false, error: `no number for ${missing.join(', ')}` };
  const reason = typeof msg.reason === 'string' && /^[a-z_]{1,32}$/.test(msg.reason) ? msg.reason : null;
  const timestamp = typeof msg.timestamp === 'number' && Number.isFinite(msg.timestamp) ? msg.timestamp : null;
  return { ok: true, hint: { fps, quality, maxWidth, reason, timestamp }, adjusted };
}

/**
 * The capture settings for a `session_ready` config and the current hint
 * (null: none yet, which gives exactly the behavior of a page without hints).
 * A hint caps the rate at its fps (never above target_fps), sets the encoder
 * quality (JPEG and WebP alike) and limits the frame's long side.
 * @returns {{fps:number, periodMs:number, quality:number, shortSide:number, maxWidth:number|null}}
 */
export function captureSettings(config, hint = null) {
  const target = Number(config && config.target_fps) || DEFAULT_FPS;
  let fps = Math.min(MAX_FPS, Math.max(1, target));
  if (hint) fps = Math.min(fps, hint.fps);
  return {
    fps,
    periodMs: 1000 / fps,
    quality: hint ? hint.quality / 100 : DEFAULT_QUALITY,
    shortSide: shortSideLimit(config && config.max_resolution),
    maxWidth: hint ? hint.maxWidth : null,
  };
}

/**
 * The size to encode a `videoWidth` x `videoHeight` frame at: scaled down,
 * keeping the aspect ratio, so that the short side is at most `shortSide`
 * and, with a hint, the width at most `maxWidth`. "Width" is the protocol's
 * "width (long side)": for a portrait frame the height is the long side and
 * is the one limited. Never scaled up.
 * @returns {{width:number, height:number}}
 */
export function frameSize(videoWidth, videoHeight, { shortSide = 720, maxWidth = null } = {}) {
  let scale = Math.min(1, shortSide / Math.min(videoWidth, videoHeight));
  if (maxWidth) scale = Math.min(scale, maxWidth / Math.max(videoWidth, videoHeight));
  return { width: Math.round(videoWidth * scale), height: Math.round(videoHeight * scale) };
}

/** A short text for the overlay and the log: "12 fps · q60 · 960px (uplink)". */
export function describeHint(hint) {
  if (!hint) return '';
  return `${hint.fps} fps · q${hint.quality} · ${hint.maxWidth}px${hint.reason ? ` (${hint.reason})` : ''}`;
}
