// Chat: live talk with a free support specialist (seed 004). The conversation is not kept, which the
// user must know before starting; outside support hours the section says so and offers a request.
import { button, h, intro } from '../dom.js';

export function render({ t, go, site }) {
  const availability = h('p', { class: 'availability' }, t('chat.checking'));
  site().then(
    (info) => {
      availability.classList.add(info.open_now ? 'on' : 'off');
      availability.textContent = t(info.open_now ? 'chat.online' : 'chat.offline');
    },
    () => availability.remove(),
  );
  return h(
    'div',
    { class: 'stack' },
    intro({
      name: 'chat',
      title: t('chat.title'),
      text: t('chat.text'),
      points: [t('chat.point_contact'), t('chat.point_queue')],
      note: t('chat.not_kept'),
      actions: [button(t('chat.new_request'), () => go('request'), true)],
    }),
    availability,
  );
}
