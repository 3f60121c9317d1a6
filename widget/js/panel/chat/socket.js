// The visitor's chat socket (docs/chat-protocol.md). It keeps the chat alive across network blips
// and page changes: sequence numbers for what arrived, client ids for what was sent, a resume token
// (no text) in this tab's sessionStorage, and reconnects with backoff and jitter.
import { remember, savedChat } from './resume.js';

const RETRY = new Set([1006, 1011, 1012, 1013, 4408, 4431, 4432]);

export function chatSocket(api, onFrame, onState) {
  let ws = null;
  let attempt = 0;
  let timer = null;
  let heartbeat = 15;
  let closedForGood = false;
  let saved = savedChat();
  const pending = new Map(); // cid -> text, until the server echoes it with a seq
  // Lines live in this page's memory only: a new page (a link followed) asks for all of them.
  let seen = 0;

  function send(type, fields) {
    if (!ws || ws.readyState !== 1) return false;
    ws.send(JSON.stringify({ v: 1, type, ...fields }));
    return true;
  }

  function open() {
    clearTimeout(timer);
    ws = new WebSocket(api.socketUrl('/api/chat/socket'));
    const mine = ws;
    ws.onopen = () => {
      const auth = { session: api.session() };
      if (saved && saved.token) Object.assign(auth, { resume: saved.token, seen });
      send('auth', auth);
    };
    ws.onmessage = (event) => {
      const frame = JSON.parse(event.data);
      if (frame.type === 'ready' || frame.type === 'resumed') {
        attempt = 0;
        heartbeat = frame.heartbeat || heartbeat;
        onState('online');
        ping();
      }
      if (frame.type === 'started') {
        saved = { token: frame.token, chat: frame.chat };
        seen = 0;
        remember(saved);
      }
      if (frame.type === 'resumed') {
        for (const [cid, text] of pending) send('message', { cid, text });
      }
      if (frame.type === 'message' && frame.seq > seen) seen = frame.seq;
      if (frame.type === 'resumed') {
        for (const line of frame.lines) seen = Math.max(seen, line.seq);
      }
      if (frame.type === 'message') pending.delete(frame.cid);
      if (frame.type === 'ended') forget();
      onFrame(frame);
    };
    ws.onclose = async (event) => {
      if (mine !== ws) return;
      clearTimeout(timer);
      if (closedForGood) return;
      if (event.code === 4441 || event.code === 4440) {
        forget();
        onFrame({ type: 'ended', by: 'timeout', reason: 'resume' });
        return;
      }
      if (event.code === 4401) {
        try {
          await api.renew();
        } catch {
          onState('failed');
          return;
        }
      } else if (!RETRY.has(event.code) && event.code >= 4000) {
        onState('failed');
        return;
      }
      onState('reconnecting');
      attempt += 1;
      const delay = Math.min(15000, 400 * 2 ** attempt) * (0.5 + Math.random());
      timer = setTimeout(open, delay);
    };
  }

  function ping() {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (send('ping', { id: Date.now() })) ping();
    }, heartbeat * 1000);
  }

  function forget() {
    saved = null;
    seen = 0;
    pending.clear();
    remember(null);
  }

  // The iframe goes away with its page (a link followed, the tab closed): tell the server this is
  // for good, so it waits the short grace instead of the long one.
  const leaving = () => send('hidden', { gone: true });
  window.addEventListener('pagehide', leaving);

  return {
    open,
    resuming: () => Boolean(saved && saved.token),
    start: (fields) => send('start', fields),
    say(text) {
      const cid = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
      pending.set(cid, text);
      send('message', { cid, text });
      return cid;
    },
    pending: () => pending,
    typing: (on) => send('typing', { on }),
    save: () => send('save', {}),
    end() {
      send('end', {});
    },
    close() {
      closedForGood = true;
      window.removeEventListener('pagehide', leaving);
      if (ws) ws.close(1000);
    },
  };
}
