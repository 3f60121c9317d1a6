// The widget API client. The session lives in this closure only (no cookies, no storage): a new
// page load asks the loader for it again. On 401 it asks the loader for a fresh session and
// retries once.

export function createApi(base, bridge, state) {
  async function send(path, init) {
    return fetch(base + path, {
      ...init,
      credentials: 'omit',
      headers: { ...(init && init.headers), Authorization: `Bearer ${state.session}` },
    });
  }
  async function request(path, init) {
    let response = await send(path, init);
    if (response.status === 401) {
      const fresh = await bridge.request('session:expired', {});
      if (!fresh.session) throw new Error(fresh.error || 'session');
      state.session = fresh.session;
      response = await send(path, init);
    }
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.json();
  }
  // Websockets cannot carry the Authorization header: the chat socket sends session() in its first
  // message, and renew() gets a fresh one after the server refused an expired session (4401).
  async function renew() {
    const fresh = await bridge.request('session:expired', {});
    if (!fresh.session) throw new Error(fresh.error || 'session');
    state.session = fresh.session;
  }
  // Requests: JSON posts and multipart uploads (XHR, for upload progress) that answer
  // {status, body} so forms can show the server's per-field errors.
  async function call(path, init) {
    let response = await send(path, init);
    if (response.status === 401) {
      await renew();
      response = await send(path, init);
    }
    return { status: response.status, body: await response.json().catch(() => ({})) };
  }
  function xhr(path, form, headers, onProgress) {
    return new Promise((resolve) => {
      const x = new XMLHttpRequest();
      x.open('POST', base + path);
      x.setRequestHeader('Authorization', `Bearer ${state.session}`);
      for (const [k, v] of Object.entries(headers || {})) x.setRequestHeader(k, v);
      if (onProgress) x.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
      x.onload = () => {
        let body = {};
        try {
          body = JSON.parse(x.responseText);
        } catch {
          // not JSON: keep {}
        }
        resolve({ status: x.status, body });
      };
      x.onerror = () => resolve({ status: 0, body: { error: 'network' } });
      x.send(form);
    });
  }
  async function upload(path, form, headers, onProgress) {
    let result = await xhr(path, form, headers, onProgress);
    if (result.status === 401) {
      await renew();
      result = await xhr(path, form, headers, onProgress);
    }
    return result;
  }
  return {
    get: (path) => request(path),
    call,
    post: (path, data) => call(path, { method: 'POST', body: JSON.stringify(data) }),
    upload,
    session: () => state.session,
    renew,
    socketUrl: (path) => base.replace(/^http/, 'ws') + path,
  };
}
