// The camera: getUserMedia into a <video>, and frames from it as encoded
// images through a canvas.

import { frameSize } from './hints.js';

/**
 * Opens the camera into `video`.
 * @param {HTMLVideoElement} video
 * @param {'user'|'environment'} facing
 * @returns {Promise<MediaStream>}
 */
export async function startCamera(video, facing = 'user') {
  if (!window.isSecureContext || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    const err = new Error('getUserMedia is not available on an insecure page');
    err.name = 'InsecureContext';
    throw err;
  }
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: false,
    video: {
      facingMode: { ideal: facing },
      width: { ideal: 1280 },
      height: { ideal: 720 },
    },
  });
  video.srcObject = stream;
  video.muted = true;
  video.playsInline = true;
  await video.play().catch(() => {});
  if (!video.videoWidth) {
    await new Promise((resolve) => {
      video.addEventListener('loadedmetadata', resolve, { once: true });
      setTimeout(resolve, 3000);
    });
  }
  return stream;
}

/** Stops every track of `stream` and detaches it from `video`. */
export function stopCamera(stream, video) {
  if (stream) for (const track of stream.getTracks()) track.stop();
  if (video) video.srcObject = null;
}

/** Whether this browser's canvas encodes `mime` (Safari has no WebP encoder). */
export function canEncode(mime) {
  const c = document.createElement('canvas');
  c.width = c.height = 1;
  return c.toDataURL(mime).startsWith(`data:${mime}`);
}

/**
 * Grabs the current video frame, scaled down so that its short side is at
 * most `shortSide` pixels and its long side at most `maxWidth` (null: no
 * such limit; see frameSize in hints.js), and encodes it.
 * @returns {Promise<{blob:Blob,width:number,height:number,capturedAt:number}|null>}
 *   null when the video has no frame yet; `capturedAt`: when the frame was
 *   taken from the video (ms since the epoch)
 */
export function grabFrame(
  video,
  canvas,
  { shortSide = 720, maxWidth = null, mime = 'image/jpeg', quality = 0.75 } = {},
) {
  const vw = video.videoWidth;
  const vh = video.videoHeight;
  if (!vw || !vh) return Promise.resolve(null);
  const { width, height } = frameSize(vw, vh, { shortSide, maxWidth });
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  const ctx = canvas.getContext('2d', { alpha: false });
  const capturedAt = Date.now();
  ctx.drawImage(video, 0, 0, width, height);
  return new Promise((resolve) => {
    canvas.toBlob((blob) => resolve(blob ? { blob, width, height, capturedAt } : null), mime, quality);
  });
}
