// Unit tests of web/js/hints.js (stream hints -> capture settings), with
// node's own test runner: `node --test tests/web/`. Registered in ctest as
// web_unit_test (tests/web/run.sh).

import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  STREAM_HINTS_CAPABILITY,
  MIN_MAX_WIDTH,
  DEFAULT_QUALITY,
  parseStreamHint,
  captureSettings,
  frameSize,
  describeHint,
  shortSideLimit,
} from '../../web/js/hints.js';

const READY_CONFIG = { target_fps: 25, max_resolution: '720p', supported_formats: ['webp', 'jpeg'] };
const HINT = {
  type: 'stream_hint',
  fps: 12,
  jpeg_quality: 60,
  max_width: 960,
  reason: 'uplink',
  timestamp: 1764711965123,
};

test('the capability the page announces', () => {
  assert.equal(STREAM_HINTS_CAPABILITY, 'stream_hints');
});

test('a well-formed hint is taken as is', () => {
  assert.deepEqual(parseStreamHint(HINT), {
    ok: true,
    hint: { fps: 12, quality: 60, maxWidth: 960, reason: 'uplink', timestamp: 1764711965123 },
    adjusted: [],
  });
});

test('values outside the documented ranges are clamped, and said so', () => {
  const r = parseStreamHint({ ...HINT, fps: 40, jpeg_quality: 10, max_width: 32 });
  assert.equal(r.ok, true);
  assert.equal(r.hint.fps, 25);
  assert.equal(r.hint.quality, 30);
  assert.equal(r.hint.maxWidth, MIN_MAX_WIDTH);
  assert.deepEqual(r.adjusted, ['fps 40 → 25', 'jpeg_quality 10 → 30', 'max_width 32 → 160']);
  const low = parseStreamHint({ ...HINT, fps: 0, jpeg_quality: 95, max_width: 100000 });
  assert.equal(low.hint.fps, 1);
  assert.equal(low.hint.quality, 90);
  assert.equal(low.hint.maxWidth, 100000);
  assert.deepEqual(low.adjusted, ['fps 0 → 1', 'jpeg_quality 95 → 90']);
  const neg = parseStreamHint({ ...HINT, fps: -5, max_width: -640 });
  assert.equal(neg.hint.fps, 1);
  assert.equal(neg.hint.maxWidth, MIN_MAX_WIDTH);
});

test('non-integer values are rounded', () => {
  const r = parseStreamHint({ ...HINT, fps: 12.6, jpeg_quality: 59.4, max_width: 960.5 });
  assert.deepEqual([r.hint.fps, r.hint.quality, r.hint.maxWidth], [13, 59, 961]);
  assert.equal(r.adjusted.length, 3);
});

test('a hint without a number for fps, jpeg_quality or max_width is malformed', () => {
  for (const [field, value] of [
    ['fps', undefined],
    ['fps', '12'],
    ['fps', null],
    ['fps', Number.NaN],
    ['fps', Number.POSITIVE_INFINITY],
    ['jpeg_quality', undefined],
    ['jpeg_quality', true],
    ['max_width', undefined],
    ['max_width', [960]],
    ['max_width', { px: 960 }],
  ]) {
    const msg = { ...HINT, [field]: value };
    if (value === undefined) delete msg[field];
    const r = parseStreamHint(msg);
    assert.equal(r.ok, false, `${field}=${String(value)} must be refused`);
    assert.match(r.error, new RegExp(field));
  }
  assert.deepEqual(parseStreamHint({ type: 'stream_hint' }), {
    ok: false,
    error: 'no number for fps, jpeg_quality, max_width',
  });
});

test('something that is not a stream_hint object is malformed', () => {
  for (const msg of [null, undefined, 42, 'stream_hint', [HINT], { ...HINT, type: 'hint' }, { ...HINT, type: 1 }]) {
    assert.equal(parseStreamHint(msg).ok, false, JSON.stringify(msg));
  }
});

test('reason and timestamp are informational: odd ones become null, the hint stands', () => {
  for (const reason of ['ai', 'uplink', 'clear', 'future_reason']) {
    assert.equal(parseStreamHint({ ...HINT, reason }).hint.reason, reason);
  }
  for (const reason of [undefined, 7, '', '<b>x</b>', 'x'.repeat(33)]) {
    const r = parseStreamHint({ ...HINT, reason });
    assert.equal(r.ok, true);
    assert.equal(r.hint.reason, null);
  }
  assert.equal(parseStreamHint({ ...HINT, timestamp: 'now' }).hint.timestamp, null);
  assert.equal(parseStreamHint({ ...HINT, timestamp: undefined }).ok, true);
});

test('unknown fields are ignored', () => {
  const r = parseStreamHint({ ...HINT, bitrate: 5 });
  assert.equal(r.ok, true);
  assert.deepEqual(Object.keys(r.hint).sort(), ['fps', 'maxWidth', 'quality', 'reason', 'timestamp']);
});

test('without a hint the settings are those of the page before hints', () => {
  assert.deepEqual(captureSettings(READY_CONFIG, null), {
    fps: 25,
    periodMs: 40,
    quality: DEFAULT_QUALITY,
    shortSide: 720,
    maxWidth: null,
  });
  assert.equal(DEFAULT_QUALITY, 0.75);
  // No or odd config: 15 fps, 720 short side, as before; at most 60 fps.
  assert.deepEqual(captureSettings({}), {
    fps: 15,
    periodMs: 1000 / 15,
    quality: 0.75,
    shortSide: 720,
    maxWidth: null,
  });
  assert.equal(captureSettings(null).fps, 15);
  assert.equal(captureSettings({ target_fps: 120 }).fps, 60);
  assert.equal(captureSettings({ target_fps: 0.5 }).fps, 1);
  assert.equal(captureSettings({ max_resolution: '480p' }).shortSide, 480);
});

test('a hint caps the rate, sets the quality and limits the width', () => {
  const { hint } = parseStreamHint(HINT);
  assert.deepEqual(captureSettings(READY_CONFIG, hint), {
    fps: 12,
    periodMs: 1000 / 12,
    quality: 0.6,
    shortSide: 720,
    maxWidth: 960,
  });
});

test('a hint caps the rate but never raises it above target_fps', () => {
  const { hint } = parseStreamHint({ ...HINT, fps: 25, reason: 'clear' });
  assert.equal(captureSettings({ ...READY_CONFIG, target_fps: 20 }, hint).fps, 20);
  assert.equal(captureSettings(READY_CONFIG, hint).fps, 25);
});

test('a new hint replaces the previous one entirely', () => {
  const first = parseStreamHint(HINT).hint;
  const second = parseStreamHint({ ...HINT, fps: 8, jpeg_quality: 45, max_width: 640, reason: 'ai' }).hint;
  assert.deepEqual(captureSettings(READY_CONFIG, second), {
    fps: 8,
    periodMs: 125,
    quality: 0.45,
    shortSide: 720,
    maxWidth: 640,
  });
  assert.notDeepEqual(captureSettings(READY_CONFIG, first), captureSettings(READY_CONFIG, second));
});

test('frame size without a hint: short side at most 720, as before', () => {
  assert.deepEqual(frameSize(1280, 720, { shortSide: 720 }), { width: 1280, height: 720 });
  assert.deepEqual(frameSize(1920, 1080, { shortSide: 720 }), { width: 1280, height: 720 });
  assert.deepEqual(frameSize(640, 480, { shortSide: 720 }), { width: 640, height: 480 });
  assert.deepEqual(frameSize(1080, 1920, { shortSide: 720 }), { width: 720, height: 1280 });
});

test('frame size with max_width: scaled down, aspect kept', () => {
  assert.deepEqual(frameSize(1280, 720, { shortSide: 720, maxWidth: 960 }), { width: 960, height: 540 });
  assert.deepEqual(frameSize(1280, 720, { shortSide: 720, maxWidth: 640 }), { width: 640, height: 360 });
  // Both limits: the tighter one wins.
  assert.deepEqual(frameSize(1920, 1080, { shortSide: 720, maxWidth: 1280 }), { width: 1280, height: 720 });
  assert.deepEqual(frameSize(1920, 1080, { shortSide: 720, maxWidth: 960 }), { width: 960, height: 540 });
  assert.deepEqual(frameSize(1920, 1080, { shortSide: 360, maxWidth: 1280 }), { width: 640, height: 360 });
});

test('frame size never scales up', () => {
  assert.deepEqual(frameSize(640, 480, { shortSide: 720, maxWidth: 1280 }), { width: 640, height: 480 });
  assert.deepEqual(frameSize(960, 540, { shortSide: 720, maxWidth: 960 }), { width: 960, height: 540 });
});

test('frame size of a portrait frame: max_width limits the long side', () => {
  assert.deepEqual(frameSize(720, 1280, { shortSide: 720, maxWidth: 960 }), { width: 540, height: 960 });
  assert.deepEqual(frameSize(480, 640, { shortSide: 720, maxWidth: 640 }), { width: 480, height: 640 });
});

test('frame size: the long side never exceeds max_width after rounding', () => {
  for (const [w, h] of [
    [1280, 720],
    [1920, 1080],
    [1366, 768],
    [1279, 719],
    [1001, 997],
    [4032, 3024],
    [720, 1280],
  ]) {
    for (const maxWidth of [160, 333, 640, 959, 960, 1280]) {
      const s = frameSize(w, h, { shortSide: 720, maxWidth });
      assert.ok(Math.max(s.width, s.height) <= maxWidth, `${w}x${h} max ${maxWidth}: ${s.width}x${s.height}`);
      assert.ok(Math.min(s.width, s.height) <= 720);
      assert.ok(s.width <= w && s.height <= h);
      assert.ok(Math.abs(s.width / s.height - w / h) < 0.02, `${w}x${h} -> ${s.width}x${s.height} keeps the aspect`);
    }
  }
});

test('the overlay text', () => {
  assert.equal(describeHint(parseStreamHint(HINT).hint), '12 fps · q60 · 960px (uplink)');
  assert.equal(describeHint(parseStreamHint({ ...HINT, reason: undefined }).hint), '12 fps · q60 · 960px');
  assert.equal(describeHint(null), '');
});

test('short side of max_resolution', () => {
  assert.equal(shortSideLimit('720p'), 720);
  assert.equal(shortSideLimit('1080p'), 1080);
  assert.equal(shortSideLimit(undefined), 720);
  assert.equal(shortSideLimit('hd'), 720);
});
