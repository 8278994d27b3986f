// Human-readable texts for the server's error codes and WebSocket close codes
// (PROTOCOL.md §3), and the reconnect policy.

const ERROR_TEXT = {
  INVALID_SESSION: 'The session is not valid',
  AI_SERVICE_UNAVAILABLE: 'The AI renderer is unavailable, so this session has ended',
  INIT_FAILED: 'The renderer could not start this session (it could not load the nail design)',
  PROCESSING_FAILED: 'The server could not do that',
  FRAME_PROCESSING_FAILED: 'A camera frame could not be rendered',
  SESSION_EXPIRED: 'The session has expired',
  INVALID_JSON: 'The server could not read a message from this page',
  UNKNOWN_MESSAGE_TYPE: 'The server did not understand a message from this page',
  INVALID_FRAME_HEADER: 'The server rejected a camera frame (bad frame header)',
  FRAME_TOO_LARGE: 'A camera frame was too large for the server',
  NOT_INITIALIZED: 'The session was not ready yet',
  NOTHING_TO_CAPTURE: 'Nothing to capture yet: wait for the first rendered frame',
  RATE_LIMITED: 'Too many requests: wait a moment and try again',
};

/**
 * The text to show for an `error` message.
 * @param {{code?:string,message?:string,recoverable?:boolean}} msg
 */
export function describeError(msg) {
  const code = msg.code || 'UNKNOWN_ERROR';
  const base = ERROR_TEXT[code] || 'The server reported an error';
  const detail = msg.message && msg.message !== base ? `: ${msg.message}` : '';
  return `${base}${detail} (${code})`;
}

const CLOSE_TEXT = {
  1000: 'The session ended',
  1001: 'The server is going away (restarting or shutting down)',
  1006: 'The connection was lost (no close frame: the network dropped, or the server refused the connection)',
  1008: 'The server closed the connection: this page did not keep up with the stream',
  1011: 'The server ended the session after an error',
  1012: 'The server is restarting',
  1013: 'The server is overloaded, try again later',
  4001: 'The server did not accept your token: sign in again',
  4003: 'This session belongs to another user',
  4004: 'This session does not exist (it may have been removed)',
  4008: 'The session has expired: start a new one',
  4009: 'This session was opened in another tab or on another device, which has taken it over',
};

/** Close codes after which the page must never reconnect on its own. */
export const FINAL_CLOSE_CODES = new Set([4001, 4003, 4004, 4008, 4009]);

/** The text to show for a close `code` (with the server's `reason`, if any). */
export function describeClose(code, reason) {
  const base = CLOSE_TEXT[code] || 'The connection closed';
  const why = reason ? `: ${reason}` : '';
  return `${base}${why} (close code ${code})`;
}

/**
 * Whether to reconnect after a close. `fatalError` is true when the server
 * sent an `error` with `recoverable: false` before closing.
 */
export function shouldReconnect(code, { userClosed = false, fatalError = false } = {}) {
  if (userClosed || fatalError) return false;
  if (FINAL_CLOSE_CODES.has(code)) return false;
  return code !== 1000;
}

/** The text for a failed camera request (a getUserMedia DOMException). */
export function describeCameraError(err) {
  switch (err && err.name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'Camera access was denied: allow the camera for this site and press Start again';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No suitable camera was found on this device';
    case 'NotReadableError':
    case 'AbortError':
      return 'The camera is in use by another application or could not be started';
    case 'InsecureContext':
      return 'The camera needs a secure page: open it over HTTPS, or at http://localhost / http://127.0.0.1 (see docs/web.md for phones)';
    default:
      return `The camera could not be started: ${err && err.message ? err.message : err}`;
  }
}
