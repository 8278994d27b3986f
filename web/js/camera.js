// The camera: getUserMedia into a <video>, and frames from it as encoded
// images through a canvas.

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

/** The short-side pixel limit for a `max_resolution` such as "720p". */
export function shortSideLimit(maxResolution) {
  const m = /^(\d+)p$/.exec(String(maxResolution || ''));
  return m ? Number(m[1]) : 720;
}

/** Whether this browser's canvas encodes `mime` (Safari has no WebP encoder). */
export function canEncode(mime) {
  const c = document.createElement('canvas');
  c.width = c.height = 1;
  return c.toDataURL(mime).startsWith(`data:${mime}`);
}

/**
 * Grabs the current video frame, scaled so that its short side is at most
 * `shortSide` pixels, and encodes it.
 * @returns {Promise<{blob:Blob,width:number,height:number}|null>} null when
 *   the video has no frame yet
 */
export function grabFrame(video, canvas, { shortSide = 720, mime = 'image/jpeg', quality = 0.75 } = {}) {
  const vw = video.videoWidth;
  const vh = video.videoHeight;
  if (!vw || !vh) return Promise.resolve(null);
  const scale = Math.min(1, shortSide / Math.min(vw, vh));
  const width = Math.round(vw * scale);
  const height = Math.round(vh * scale);
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  const ctx = canvas.getContext('2d', { alpha: false });
  ctx.drawImage(video, 0, 0, width, height);
  return new Promise((resolve) => {
    canvas.toBlob((blob) => resolve(blob ? { blob, width, height } : null), mime, quality);
  });
}
