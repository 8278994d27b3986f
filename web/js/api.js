// REST client for the try-on API (PROTOCOL.md §2). Every failure becomes an
// ApiError with a message fit to show.

export class ApiError extends Error {
  constructor(message, status, body) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.body = body;
  }
}

const STATUS_TEXT = {
  400: 'The server rejected the request',
  401: 'The server did not accept your token',
  403: 'Not allowed',
  404: 'Not found',
  405: 'Method not allowed',
  413: 'The file is too large',
  415: 'Unsupported file type: use a JPEG, PNG or WebP image',
  429: 'Too many requests, try again shortly',
  500: 'The server failed',
  502: 'The server is unreachable (bad gateway)',
  503: 'The server is not ready',
};

export class Api {
  /** @param {string} token the API token (`Authorization: Token <key>`) */
  constructor(token, base = '') {
    this.token = token;
    this.base = base;
  }

  async request(method, path, { json, form, signal } = {}) {
    const headers = { Authorization: `Token ${this.token}`, Accept: 'application/json' };
    let body;
    if (json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(json);
    } else if (form) {
      body = form; // the browser sets the multipart boundary
    }
    let res;
    try {
      res = await fetch(this.base + path, { method, headers, body, signal, cache: 'no-store' });
    } catch (err) {
      if (err && err.name === 'AbortError') throw err;
      throw new ApiError(`The server is unreachable (${method} ${path}): ${err.message}`, 0);
    }
    const text = await res.text();
    let data = null;
    if (text) {
      try {
        data = JSON.parse(text);
      } catch {
        data = null;
      }
    }
    if (!res.ok) {
      const said = data && (data.error || data.detail);
      // The server's own words when it gave some, else a generic text.
      const text = typeof said === 'string' && said ? said.replace(/\.$/, '') : STATUS_TEXT[res.status] || 'Request failed';
      throw new ApiError(
        `${text} (HTTP ${res.status})`,
        res.status,
        data,
      );
    }
    return data;
  }

  /** Checks the token; resolves when the server accepts it. */
  checkToken() {
    return this.request('GET', '/api/try-on/results/?limit=1');
  }

  /**
   * Creates a session: `{nail_post_id}` or `{nail_reference_url}`.
   * @returns {Promise<{session_id:string, expires_at:string}>}
   */
  createSession(body) {
    return this.request('POST', '/api/try-on/session/create/', { json: body });
  }

  /** The caller's own session. */
  getSession(id) {
    return this.request('GET', `/api/try-on/session/${encodeURIComponent(id)}/`);
  }

  /**
   * Uploads an image; `type` is `nail_reference` or `source_image`.
   * @returns {Promise<{url:string,type:string}>}
   */
  upload(file, type = 'nail_reference') {
    const form = new FormData();
    form.append('type', type);
    form.append('file', file, file.name || 'upload');
    return this.request('POST', '/api/try-on/upload/', { form });
  }

  /** The caller's saved results, newest first. */
  results({ limit = 24, offset = 0 } = {}) {
    return this.request('GET', `/api/try-on/results/?limit=${limit}&offset=${offset}`);
  }
}
