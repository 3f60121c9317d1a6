// The panel's end of the loader-panel protocol (docs/protocol.md). Only window.parent on the host
// origin named in the page config may talk to us, and we post to that origin only.
import { LOADER_MESSAGES, envelope, readEnvelope } from '../shared/contract.js';

export function connect(hostOrigin, onMessage) {
  const waiting = new Map();
  window.addEventListener('message', (event) => {
    if (event.origin !== hostOrigin || event.source !== window.parent) return;
    const message = readEnvelope(event.data, LOADER_MESSAGES);
    if (!message) return;
    const payload = message.payload || {};
    if (payload.re && waiting.has(payload.re)) {
      waiting.get(payload.re)(payload);
      waiting.delete(payload.re);
    }
    onMessage(message.type, payload);
  });
  const post = (type, payload) => {
    const message = envelope(type, payload);
    window.parent.postMessage(message, hostOrigin);
    return message.id;
  };
  // A request whose answer names it in payload.re (session:expired -> session).
  const request = (type, payload) =>
    new Promise((resolve) => waiting.set(post(type, payload), resolve));
  return { post, request };
}
