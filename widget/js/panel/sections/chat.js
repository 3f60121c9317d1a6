// Chat: live talk with a free support specialist (seed 004). The user gives a name, a phone and a
// short question, waits in the queue, and talks. The conversation is not kept, which the section
// says before and during the chat; when nobody can answer it offers a request with the question.
import { button, h, icon, intro } from '../dom.js';
import { chatSocket } from '../chat/socket.js';
import { adoptStyles } from '../chat/styles.js';

const PHONE = /^[+()\-.\s\d]{6,32}$/;

export function render(ctx) {
  const { t } = ctx;
  adoptStyles();
  const root = h('div', { class: 'stack chat' });
  const live = h('p', { class: 'sr', 'aria-live': 'assertive' });
  let view = null;
  let availability = null;
  let socket = null;
  let draft = { name: (ctx.user && ctx.user.name) || '', phone: '', question: '' };

  function show(next) {
    view = next;
    root.replaceChildren(next.el, live);
  }
  const announce = (text) => {
    live.textContent = text;
  };

  function connect() {
    socket = chatSocket(ctx.api, (frame) => view && view.frame && view.frame(frame), (state) => view && view.state && view.state(state));
    if (socket.resuming()) show(conversation(ctx, socket, null, announce, restart));
    else show(form());
    socket.open();
  }
  function restart() {
    if (socket) socket.close();
    connect();
  }

  function form() {
    const status = h('p', { class: 'availability', role: 'status' }, t('chat.checking'));
    const name = field('name', t('chat.name'), h('input', { id: 'hm-chat-name', autocomplete: 'name', maxlength: '80', required: true, value: draft.name }));
    const phone = field('phone', t('chat.phone'), h('input', { id: 'hm-chat-phone', type: 'tel', autocomplete: 'tel', maxlength: '32', required: true, value: draft.phone, placeholder: t('chat.phone_placeholder') }));
    const question = field('question', t('chat.question'), h('textarea', { id: 'hm-chat-question', rows: '3', maxlength: '300', required: true }, draft.question));
    const submit = h('button', { type: 'submit', class: 'btn', disabled: true }, t('chat.start'));
    const instead = button(t('chat.new_request'), () => toRequest(), true);
    const el = h(
      'div',
      { class: 'stack' },
      intro({ name: 'chat', title: t('chat.title'), text: t('chat.text'), note: t('chat.not_kept') }),
      h('form', { class: 'card chat-form', novalidate: true, onsubmit: submitForm }, status, name.el, phone.el, question.el, h('div', { class: 'actions' }, submit, instead)),
    );
    function toRequest() {
      keep();
      ctx.go('request', { prefill: { subject: draft.question, message: draft.question, name: draft.name } });
    }
    function keep() {
      draft = { name: name.input.value, phone: phone.input.value, question: question.input.value };
    }
    function submitForm(event) {
      event.preventDefault();
      keep();
      if (!availability || !availability.available) return toRequest();
      const errors = {
        name: !draft.name.trim() && t('chat.error_name'),
        phone: !PHONE.test(draft.phone.trim()) || (draft.phone.match(/\d/g) || []).length < 6 ? t('chat.error_phone') : null,
        question: !draft.question.trim() && t('chat.error_question'),
      };
      let first = null;
      for (const [key, f] of Object.entries({ name, phone, question })) {
        f.error(errors[key]);
        if (errors[key] && !first) first = f.input;
      }
      if (first) return first.focus();
      submit.disabled = true;
      socket.start({ name: draft.name.trim(), phone: draft.phone.trim(), question: draft.question.trim(), page: ctx.context.page_url || document.referrer || null });
    }
    return {
      el,
      frame(frame) {
        if (frame.type === 'ready') {
          availability = frame;
          status.className = `availability ${frame.available ? 'on' : 'off'}`;
          status.textContent = frame.available ? t('chat.online') : t(frame.reason === 'closed' ? 'chat.closed' : 'chat.busy');
          submit.textContent = frame.available ? t('chat.start') : t('chat.request_instead');
          submit.disabled = false;
          instead.hidden = !frame.available;
        } else if (frame.type === 'started') {
          ctx.emit('chat:started', {});
          show(conversation(ctx, socket, draft, announce, restart));
        } else if (frame.type === 'error') {
          submit.disabled = false;
          if (frame.error === 'unavailable') {
            availability = { available: false };
            status.className = 'availability off';
            status.textContent = t(frame.message === 'closed' ? 'chat.closed' : 'chat.busy');
            submit.textContent = t('chat.request_instead');
            instead.hidden = true;
          }
        }
      },
      state(state) {
        if (state === 'failed') status.textContent = t('chat.failed');
      },
    };
  }

  function field(key, label, input) {
    const error = h('p', { class: 'field-error', id: `hm-chat-${key}-error`, hidden: true });
    return {
      input,
      el: h('div', { class: 'field' }, h('label', { for: input.id }, label), input, error),
      error(text) {
        error.hidden = !text;
        error.textContent = text || '';
        if (text) input.setAttribute('aria-invalid', 'true');
        else input.removeAttribute('aria-invalid');
        input.setAttribute('aria-describedby', error.id);
      },
    };
  }

  connect();
  return root;
}

function conversation(ctx, socket, draft, announce, restart) {
  const { t } = ctx;
  const lines = new Map();
  const pendingEls = new Map();
  let agent = '';
  let since = Date.now() / 1000;
  let ended = false;
  let clock = null;

  const title = h('h2', { tabindex: '-1' }, t('chat.waiting_title'));
  const sub = h('p', { class: 'muted chat-sub', role: 'status' }, t('chat.connecting'));
  const banner = h('p', { class: 'chat-banner', role: 'status', hidden: true }, t('chat.reconnecting'));
  const log = h('div', { class: 'chat-log', role: 'log', 'aria-live': 'polite', 'aria-label': t('chat.log') });
  const typing = h('p', { class: 'chat-typing', 'aria-live': 'polite' });
  const input = h('textarea', { rows: '1', maxlength: '2000', 'aria-label': t('chat.placeholder'), placeholder: t('chat.placeholder'), disabled: true });
  const send = h('button', { type: 'submit', class: 'chat-send', 'aria-label': t('chat.send'), title: t('chat.send'), disabled: true }, icon('arrow'));
  const composer = h('form', { class: 'chat-composer', onsubmit: say }, input, send);
  const endBtn = button(t('chat.end'), () => {
    if (ended) return;
    socket.end();
  }, true);
  const saveBtn = button(t('chat.save'), () => {
    saveBtn.disabled = true;
    socket.save();
  }, true);
  saveBtn.hidden = true;
  const savedNote = h('p', { class: 'chat-saved', role: 'status', hidden: true });
  const after = h('div', { class: 'actions', hidden: true }, button(t('chat.again'), restart), button(t('chat.new_request'), () => ctx.go('request', { prefill: draft ? { subject: draft.question, message: draft.question, name: draft.name } : {} }), true));
  const el = h(
    'div',
    { class: 'card chat-live' },
    h('div', { class: 'chat-head' }, h('div', { class: 'badge' }, icon('chat')), h('div', { class: 'grow' }, title, sub)),
    banner,
    h('p', { class: 'chat-notice' }, icon('info'), h('span', null, t('chat.not_saved'))),
    log,
    typing,
    composer,
    savedNote,
    h('div', { class: 'chat-foot' }, saveBtn, endBtn),
    after,
  );

  let typingOn = false;
  let typingTimer = null;
  input.addEventListener('input', () => {
    if (!typingOn) {
      typingOn = true;
      socket.typing(true);
    }
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => {
      typingOn = false;
      socket.typing(false);
    }, 2500);
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      composer.requestSubmit();
    }
  });

  function say(event) {
    event.preventDefault();
    const text = input.value;
    if (!text.trim() || ended) return;
    const cid = socket.say(text);
    pendingEls.set(cid, bubble({ author: 'visitor', text, pending: true }));
    log.append(pendingEls.get(cid));
    input.value = '';
    clearTimeout(typingTimer);
    if (typingOn) {
      typingOn = false;
      socket.typing(false);
    }
    scroll();
  }

  function bubble(line) {
    const row = h('div', { class: `chat-line ${line.author}${line.pending ? ' pending' : ''}`, 'data-seq': line.seq || null });
    if (line.author === 'agent') row.append(h('span', { class: 'chat-author' }, line.name));
    row.append(h('p', { class: 'chat-text' }, line.text));
    return row;
  }
  function add(line) {
    if (lines.has(line.seq)) return;
    const node = bubble(line);
    lines.set(line.seq, node);
    const pend = pendingEls.get(line.cid);
    if (line.author === 'visitor' && pend) {
      pend.replaceWith(node);
      pendingEls.delete(line.cid);
    } else {
      const later = [...lines.keys()].filter((s) => s > line.seq).sort((a, b) => a - b)[0];
      if (later !== undefined && lines.get(later).isConnected) log.insertBefore(node, lines.get(later));
      else log.append(node);
      if (line.author === 'agent') announce(t('chat.said', { name: line.name, text: line.text }));
    }
    scroll();
  }
  function scroll() {
    log.scrollTop = log.scrollHeight;
  }
  function active(name) {
    agent = name;
    title.textContent = t('chat.with', { name });
    sub.textContent = t('chat.joined', { name });
    input.disabled = send.disabled = false;
    saveBtn.hidden = false;
    stopClock();
  }
  function waiting(position) {
    title.textContent = t('chat.waiting_title');
    const tick = () => {
      const s = Math.max(0, Math.round(Date.now() / 1000 - since));
      const time = s < 60 ? t('chat.seconds', { n: s }) : t('chat.minutes', { n: Math.floor(s / 60) });
      sub.textContent = t('chat.position', { n: position, time });
    };
    tick();
    stopClock();
    clock = setInterval(tick, 1000);
  }
  function stopClock() {
    clearInterval(clock);
  }
  function finish(by) {
    if (!ended) ctx.emit('chat:ended', { by });
    ended = true;
    stopClock();
    title.textContent = t('chat.ended_title');
    sub.textContent = t(by === 'agent' ? 'chat.ended_agent' : by === 'visitor' ? 'chat.ended_you' : 'chat.ended_timeout');
    announce(sub.textContent);
    input.disabled = send.disabled = true;
    typing.textContent = '';
    banner.hidden = true;
    endBtn.hidden = true;
    after.hidden = false;
  }

  return {
    el,
    frame(frame) {
      switch (frame.type) {
        case 'started':
          since = frame.since;
          break;
        case 'resumed':
          since = frame.since;
          banner.hidden = true;
          for (const line of frame.lines) add(line);
          if (frame.state === 'active') active(frame.agent);
          else if (frame.state === 'waiting') waiting(1);
          break;
        case 'queued':
          since = frame.since;
          waiting(frame.position);
          break;
        case 'assigned':
          active(frame.agent);
          announce(sub.textContent);
          input.focus();
          break;
        case 'message':
          typing.textContent = '';
          add(frame);
          break;
        case 'typing':
          typing.textContent = frame.on ? t('chat.typing', { name: agent }) : '';
          break;
        case 'ended':
          finish(frame.by);
          break;
        case 'saved':
          saveBtn.hidden = true;
          savedNote.hidden = false;
          savedNote.textContent = t('chat.saved', { number: frame.number });
          announce(savedNote.textContent);
          break;
        case 'error':
          saveBtn.disabled = false;
          break;
        default:
          break;
      }
    },
    state(state) {
      banner.hidden = state !== 'reconnecting' || ended;
      if (state === 'failed' && !ended) finish('timeout');
    },
  };
}
