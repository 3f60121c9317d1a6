// Request history: every request of the account with support's answers (seed 004). Anonymous users
// have no account, so they are told to sign in to the app to see it.
import { button, h, icon, intro } from '../dom.js';

export function render({ t, go, user }) {
  const anonymous = !user || user.anonymous;
  return h(
    'div',
    { class: 'stack' },
    intro({
      name: 'history',
      title: t('history.title'),
      text: t('history.text'),
      note: anonymous ? t('history.sign_in') : null,
    }),
    h(
      'section',
      { class: 'card empty' },
      icon('paperclip'),
      h('h3', null, t('history.empty_title')),
      h('p', null, t('history.empty_text')),
      button(t('history.new_request'), () => go('request')),
    ),
  );
}
