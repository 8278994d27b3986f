// Binary frame layout of PROTOCOL.md §3: the first 1024 bytes are a UTF-8
// JSON object padded with NUL bytes, the rest is the encoded image.

export const HEADER_SIZE = 1024;

const encoder = new TextEncoder();

/**
 * Builds one client → server binary message.
 * @param {{sequence:number,timestamp?:number,width?:number,height?:number,format?:string}} header
 * @param {ArrayBuffer|Uint8Array} image encoded JPEG or WebP bytes
 * @returns {Uint8Array}
 */
export function encodeFrame(header, image) {
  if (!Number.isInteger(header.sequence)) {
    throw new Error('frame header needs an integer sequence');
  }
  const json = encoder.encode(JSON.stringify(header));
  if (json.length > HEADER_SIZE) {
    throw new Error(`frame header is ${json.length} bytes, more than ${HEADER_SIZE}`);
  }
  const bytes = image instanceof Uint8Array ? image : new Uint8Array(image);
  // A fresh Uint8Array is zero-filled: the NUL padding comes for free.
  const out = new Uint8Array(HEADER_SIZE + bytes.length);
  out.set(json, 0);
  out.set(bytes, HEADER_SIZE);
  return out;
}
