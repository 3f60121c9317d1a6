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
  return {
    get: (path) => request(path),
    session: () => state.session,
    renew,
    socketUrl: (path) => base.replace(/^http/, 'ws') + path,
  };
}
