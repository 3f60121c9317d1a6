// The agents' chat desk. A file, not inline, because the console's CSP allows no inline script.
// One websocket (docs/chat-protocol.md): presence, the waiting queue, several chats at once.
// Every visitor-typed string is put in the page with textContent, never as HTML.
(function () {
  "use strict";
  var root = document.getElementById("desk");
  if (!root) return;
  var config = JSON.parse(root.getAttribute("data-config"));
  var S = config.strings;
  var $ = function (id) { return document.getElementById(id); };
  var ws = null, attempt = 0, heartbeat = null, everConnected = false;
  var presence = { status: "away", capacity: 3 };
  var agents = [];
  var queue = [];
  var chats = {}; // id -> {visitor, lines: {seq: line}, pending: {cid: text}, ended, typing, el}
  var current = null;
  var accepting = null; // the chat this agent took from the queue opens when it arrives
  var baseTitle = document.title, flashing = null, counter = 0;

  function t(key, vars) {
    var text = S[key] || key;
    return vars ? text.replace(/\{(\w+)\}/g, function (m, n) { return n in vars ? vars[n] : m; }) : text;
  }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text != null) node.textContent = text;
    return node;
  }
  function send(type, fields) {
    if (!ws || ws.readyState !== 1) return false;
    var data = { v: 1, type: type };
    for (var k in fields) data[k] = fields[k];
    ws.send(JSON.stringify(data));
    return true;
  }

  // ---- connection, with backoff and jitter ---------------------------------------------------
  function connect() {
    var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + config.socket;
    ws = new WebSocket(url);
    ws.onopen = function () { send("auth", { csrf: config.csrf, site: config.site }); };
    ws.onmessage = function (event) { receive(JSON.parse(event.data)); };
    ws.onclose = function (event) {
      clearInterval(heartbeat);
      setConn(false);
      if (event.code === 4401) { location.reload(); return; }
      attempt += 1;
      var delay = Math.min(30000, 500 * Math.pow(2, attempt)) * (0.5 + Math.random());
      setTimeout(connect, delay);
    };
  }
  function setConn(online) {
    var conn = $("desk-conn");
    conn.textContent = online ? t("online") : t("offline");
    conn.classList.toggle("is-online", online);
  }

  function receive(m) {
    var handler = HANDLERS[m.type];
    if (handler) handler(m);
  }
  var HANDLERS = {
    ready: function () {
      attempt = 0;
      setConn(true);
      heartbeat = setInterval(function () { send("ping", { id: Date.now() }); }, 20000);
      if (everConnected || presence.status === "available") send("presence", presence);
      everConnected = true;
      Object.keys(chats).forEach(function (id) {
        if (!chats[id].ended) send("details", { chat: id });
      });
    },
    agents: function (m) { agents = m.agents; renderTransfer(); },
    queue: function (m) {
      var before = queue.length;
      queue = m.chats;
      renderQueue();
      if (queue.length > before) signal();
    },
    assigned: function (m) {
      var chat = chats[m.chat] = chats[m.chat] || { lines: {}, pending: {}, ended: false };
      chat.visitor = m.visitor;
      chat.ended = false;
      chat.connected = m.connected;
      (m.lines || []).forEach(function (line) { chat.lines[line.seq] = line; });
      renderMine();
      signal();
      if (!current || accepting === m.chat) open(m.chat);
      else if (current === m.chat) renderChat();
    },
    details: function (m) {
      var chat = chats[m.chat];
      if (!chat) return;
      chat.visitor = m.visitor;
      chat.connected = m.visitor.connected;
      (m.lines || []).forEach(function (line) { chat.lines[line.seq] = line; });
      resendPending(m.chat);
      if (current === m.chat) renderChat();
    },
    message: function (m) {
      var chat = chats[m.chat];
      if (!chat) return;
      chat.lines[m.seq] = m;
      if (m.author === "agent") delete chat.pending[m.cid];
      else chat.typing = false;
      if (current === m.chat) renderChat(); else { chat.unread = true; renderMine(); signal(); }
    },
    typing: function (m) {
      var chat = chats[m.chat];
      if (!chat) return;
      chat.typing = m.on;
      if (current === m.chat) renderTyping();
    },
    peer: function (m) {
      var chat = chats[m.chat];
      if (!chat) return;
      chat.connected = m.connected;
      chat.note = m.connected ? t("reconnected") : t("disconnected");
      if (current === m.chat) renderChat();
    },
    saved: function (m) {
      var chat = chats[m.chat];
      if (!chat) return;
      chat.note = t("saved", { number: m.number });
      if (current === m.chat) renderChat();
    },
    ended: function (m) {
      var chat = chats[m.chat];
      if (!chat) return;
      chat.ended = true;
      chat.note = t("ended_" + (m.reason === "transferred" ? "transferred" : m.by));
      renderMine();
      if (current === m.chat) renderChat();
    },
    error: function (m) {
      if (m.error === "rate_limited") return;
      var box = $("desk-chat").querySelector(".desk-error");
      if (box) box.textContent = t("error", { reason: m.message || m.error });
    },
  };

  function resendPending(id) {
    var chat = chats[id];
    Object.keys(chat.pending).forEach(function (cid) {
      send("message", { chat: id, cid: cid, text: chat.pending[cid] });
    });
  }

  // ---- signals: a sound and the title bar ----------------------------------------------------
  function signal() {
    try {
      var Audio = window.AudioContext || window.webkitAudioContext;
      var ctx = signal.ctx = signal.ctx || new Audio();
      var osc = ctx.createOscillator(), gain = ctx.createGain();
      osc.frequency.value = 880;
      gain.gain.setValueAtTime(0.08, ctx.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + 0.35);
      osc.connect(gain); gain.connect(ctx.destination);
      osc.start(); osc.stop(ctx.currentTime + 0.35);
    } catch (e) { /* no audio: the title still flashes */ }
    counter += 1;
    document.title = "(" + counter + ") " + t("new_chat") + " · " + baseTitle;
    clearInterval(flashing);
    var on = true;
    flashing = setInterval(function () {
      on = !on;
      document.title = on ? "(" + counter + ") " + t("new_chat") + " · " + baseTitle : baseTitle;
    }, 1000);
  }
  function quiet() {
    clearInterval(flashing);
    counter = 0;
    document.title = baseTitle;
  }
  window.addEventListener("focus", quiet);
  document.addEventListener("click", quiet);

  // ---- presence -------------------------------------------------------------------------------
  $("desk-available").addEventListener("change", function (event) {
    presence.status = event.target.checked ? "available" : "away";
    $("desk-status-label").textContent = t(presence.status);
    send("presence", presence);
  });
  $("desk-capacity").addEventListener("change", function (event) {
    presence.capacity = parseInt(event.target.value, 10);
    send("presence", presence);
  });
  $("desk-presence").addEventListener("submit", function (event) { event.preventDefault(); });

  // ---- the queue and my chats -------------------------------------------------------------------
  function waited(since) {
    var s = Math.max(0, Math.round(Date.now() / 1000 - since));
    return s < 60 ? s + "s" : Math.floor(s / 60) + "m " + (s % 60) + "s";
  }
  function renderQueue() {
    var list = $("desk-queue");
    list.replaceChildren();
    queue.forEach(function (item) {
      var li = el("li", "desk-item desk-waiting");
      var head = el("div", "desk-item-head");
      head.append(el("strong", null, item.name), el("span", "desk-wait", t("waiting_for", { time: waited(item.since) })));
      li.append(head, el("p", "desk-question", item.question));
      var meta = el("p", "desk-meta");
      meta.append(el("span", null, item.phone));
      if (item.page) meta.append(el("span", "desk-page", item.page));
      li.append(meta);
      var accept = el("button", "button button-primary button-small", t("accept"));
      accept.type = "button";
      accept.setAttribute("data-accept", item.chat);
      li.append(accept);
      list.append(li);
    });
    $("desk-queue-count").textContent = String(queue.length);
    $("desk-queue-empty").hidden = queue.length > 0;
  }
  function renderMine() {
    var list = $("desk-mine");
    list.replaceChildren();
    var ids = Object.keys(chats);
    ids.forEach(function (id) {
      var chat = chats[id];
      var li = el("li", "desk-item desk-mine-item" + (id === current ? " is-current" : "") + (chat.ended ? " is-ended" : ""));
      var b = el("button", "desk-open");
      b.type = "button";
      b.setAttribute("data-open", id);
      b.append(el("strong", null, chat.visitor ? chat.visitor.name : id));
      if (chat.unread) b.append(el("span", "desk-dot"));
      b.append(el("span", "desk-question", chat.visitor ? chat.visitor.question : ""));
      li.append(b);
      list.append(li);
    });
    $("desk-mine-count").textContent = String(ids.filter(function (id) { return !chats[id].ended; }).length);
    $("desk-mine-empty").hidden = ids.length > 0;
  }
  setInterval(function () { if (queue.length) renderQueue(); }, 1000);

  root.addEventListener("click", function (event) {
    var accept = event.target.closest("[data-accept]");
    if (accept) {
      accept.disabled = true;
      accepting = accept.getAttribute("data-accept");
      send("accept", { chat: accepting });
      return;
    }
    var openBtn = event.target.closest("[data-open]");
    if (openBtn) open(openBtn.getAttribute("data-open"));
  });

  // ---- one conversation ---------------------------------------------------------------------------
  function open(id) {
    current = id;
    chats[id].unread = false;
    var pane = $("desk-chat");
    pane.replaceChildren(buildChat(id));
    renderMine();
    renderChat();
    var input = pane.querySelector("textarea");
    if (input) input.focus();
  }
  function buildChat(id) {
    var chat = chats[id], v = chat.visitor || {};
    var wrap = el("div", "desk-conv");
    var head = el("header", "desk-conv-head");
    var who = el("div", "desk-who");
    var title = el("h2", null, v.name || t("visitor"));
    title.id = "desk-chat-h";
    who.append(title);
    var facts = el("dl", "desk-facts");
    [["phone", v.phone], ["question", v.question], ["page", v.page]].forEach(function (pair) {
      if (!pair[1]) return;
      facts.append(el("dt", null, t(pair[0])), el("dd", "desk-fact-" + pair[0], pair[1]));
    });
    who.append(facts);
    var actions = el("div", "desk-actions");
    var transfer = el("select", "desk-transfer");
    transfer.setAttribute("aria-label", t("transfer"));
    transfer.addEventListener("change", function () {
      if (transfer.value) send("transfer", { chat: id, to: parseInt(transfer.value, 10) });
      transfer.value = "";
    });
    var end = el("button", "button button-danger button-small", t("end"));
    end.type = "button";
    end.addEventListener("click", function () {
      if (window.confirm(t("end_confirm"))) send("end", { chat: id });
    });
    actions.append(transfer, end);
    head.append(who, actions);
    var log = el("div", "desk-log");
    log.setAttribute("role", "log");
    log.setAttribute("aria-live", "polite");
    var typing = el("p", "desk-typing");
    typing.setAttribute("aria-live", "polite");
    var note = el("p", "desk-note");
    var error = el("p", "desk-error");
    error.setAttribute("role", "alert");
    var form = el("form", "desk-composer");
    var canned = el("select", "desk-canned");
    canned.setAttribute("aria-label", t("canned"));
    canned.append(new Option(t("canned"), ""));
    config.canned.forEach(function (c) { canned.append(new Option(c.title, String(c.id))); });
    canned.hidden = config.canned.length === 0;
    var input = el("textarea");
    input.rows = 2;
    input.maxLength = 2000;
    input.placeholder = t("placeholder");
    input.setAttribute("aria-label", t("placeholder"));
    var sendBtn = el("button", "button button-primary", t("send"));
    sendBtn.type = "submit";
    canned.addEventListener("change", function () {
      var found = config.canned.filter(function (c) { return String(c.id) === canned.value; })[0];
      if (found) input.value = input.value ? input.value + " " + found.text : found.text;
      canned.value = "";
      input.focus();
    });
    var typingOn = false, typingTimer = null;
    input.addEventListener("input", function () {
      if (!typingOn) { typingOn = true; send("typing", { chat: id, on: true }); }
      clearTimeout(typingTimer);
      typingTimer = setTimeout(function () { typingOn = false; send("typing", { chat: id, on: false }); }, 2500);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = input.value;
      if (!text.trim() || chats[id].ended) return;
      var cid = "a" + Date.now().toString(36) + Math.random().toString(36).slice(2, 8);
      chats[id].pending[cid] = text;
      send("message", { chat: id, cid: cid, text: text });
      input.value = "";
      clearTimeout(typingTimer);
      if (typingOn) { typingOn = false; send("typing", { chat: id, on: false }); }
      renderChat();
    });
    form.append(canned, input, sendBtn);
    wrap.append(head, log, typing, note, error, form);
    chat.el = { log: log, typing: typing, note: note, form: form, transfer: transfer, facts: facts };
    return wrap;
  }
  function renderChat() {
    var chat = chats[current];
    if (!chat || !chat.el) return;
    var log = chat.el.log;
    var atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
    log.replaceChildren();
    Object.keys(chat.lines).map(Number).sort(function (a, b) { return a - b; }).forEach(function (seq) {
      var line = chat.lines[seq];
      var row = el("div", "desk-line desk-" + line.author);
      row.append(el("span", "desk-author", line.name), el("p", "desk-text", line.text));
      log.append(row);
    });
    Object.keys(chat.pending).forEach(function (cid) {
      var row = el("div", "desk-line desk-agent is-pending");
      row.append(el("p", "desk-text", chat.pending[cid]));
      log.append(row);
    });
    if (atBottom || true) log.scrollTop = log.scrollHeight;
    chat.el.note.textContent = chat.note || "";
    chat.el.form.classList.toggle("is-disabled", chat.ended);
    chat.el.form.querySelectorAll("textarea, button, select").forEach(function (c) { c.disabled = chat.ended; });
    renderTyping();
    renderTransfer();
  }
  function renderTyping() {
    var chat = chats[current];
    if (!chat || !chat.el) return;
    chat.el.typing.textContent = chat.typing && !chat.ended ? t("typing", { name: chat.visitor ? chat.visitor.name : t("visitor") }) : "";
  }
  function renderTransfer() {
    var chat = chats[current];
    if (!chat || !chat.el) return;
    var select = chat.el.transfer;
    var others = agents.filter(function (a) { return a.id !== config.me && a.available && a.load < a.capacity; });
    select.replaceChildren(new Option(others.length ? t("transfer") : t("transfer_none"), ""));
    others.forEach(function (a) { select.append(new Option(a.name, String(a.id))); });
    select.disabled = !others.length || chat.ended;
  }

  connect();
})();
