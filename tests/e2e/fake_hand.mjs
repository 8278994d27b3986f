// A synthetic hand for Chromium's fake camera: writes a Y4M video (Chromium's
// --use-file-for-fake-video-capture plays it in a loop) of a skin-coloured
// palm, arm and five fingers on a dark background, swaying left and right so
// that consecutive frames differ. The reference AI (docs/ai_service.md) finds
// a hand like this one by its skin colour and contour, so the rendered stream
// shows painted nails instead of an unchanged test pattern.

import { openSync, writeSync, closeSync } from 'node:fs';

export const SKIN = [224, 172, 105];
export const BACKGROUND = [38, 46, 64];

function ycbcr([r, g, b]) {
  // BT.601 full range, as Y4M's C420jpeg.
  return [
    0.299 * r + 0.587 * g + 0.114 * b,
    128 - 0.168736 * r - 0.331264 * g + 0.5 * b,
    128 + 0.5 * r - 0.418688 * g - 0.081312 * b,
  ].map((v) => Math.max(0, Math.min(255, Math.round(v))));
}

/** Distance from (px, py) to the segment (ax, ay)-(bx, by). */
function segmentDistance(px, py, ax, ay, bx, by) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  const x = ax + t * dx - px;
  const y = ay + t * dy - py;
  return Math.sqrt(x * x + y * y);
}

/** The hand's shapes for a frame whose hand is shifted by `shift` pixels. */
function handShapes(width, height, shift) {
  const s = height / 480;
  const cx = width / 2 + shift;
  const cy = 330 * s;
  const palm = 88 * s;
  const finger = 17 * s; // half width
  const capsules = [
    // [base x, base y, tip x, tip y] relative to the palm centre
    [-66, -60, -92, -200],
    [-22, -80, -26, -236],
    [22, -80, 24, -244],
    [64, -62, 88, -206],
    [-80, 10, -190, -70], // thumb
  ].map(([ax, ay, bx, by]) => [cx + ax * s, cy + ay * s, cx + bx * s, cy + by * s, finger]);
  // The forearm leaves the frame at the bottom.
  capsules.push([cx, cy, cx + 10 * s, height + 60 * s, 70 * s]);
  return { cx, cy, palm, capsules };
}

/**
 * Writes `frames` frames of `width` x `height` to `path` (Y4M, 4:2:0).
 */
export function writeFakeHandVideo(path, { width = 640, height = 480, frames = 30, fps = 15 } = {}) {
  const [sy, su, sv] = ycbcr(SKIN);
  const [by, bu, bv] = ycbcr(BACKGROUND);
  const ySize = width * height;
  const cSize = (width / 2) * (height / 2);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, `YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`);
    const frame = Buffer.alloc(ySize + 2 * cSize);
    const mask = new Uint8Array(ySize);
    for (let f = 0; f < frames; f++) {
      const shift = Math.round(40 * Math.sin((2 * Math.PI * f) / frames) * (width / 640));
      const { cx, cy, palm, capsules } = handShapes(width, height, shift);
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          let inside = (x - cx) ** 2 + (y - cy) ** 2 <= palm * palm;
          for (let i = 0; !inside && i < capsules.length; i++) {
            const [ax, ay, bx, b2, r] = capsules[i];
            inside = segmentDistance(x, y, ax, ay, bx, b2) <= r;
          }
          mask[y * width + x] = inside ? 1 : 0;
          // A little shading keeps the encoder honest without leaving skin.
          frame[y * width + x] = inside ? sy - ((x + y) % 7) : by + ((x * 3 + y) % 5);
        }
      }
      for (let y = 0; y < height / 2; y++) {
        for (let x = 0; x < width / 2; x++) {
          const inside = mask[2 * y * width + 2 * x];
          frame[ySize + y * (width / 2) + x] = inside ? su : bu;
          frame[ySize + cSize + y * (width / 2) + x] = inside ? sv : bv;
        }
      }
      writeSync(fd, 'FRAME\n');
      writeSync(fd, frame);
    }
  } finally {
    closeSync(fd);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: node fake_hand.mjs OUT.y4m');
    process.exit(2);
  }
  writeFakeHandVideo(out);
}
