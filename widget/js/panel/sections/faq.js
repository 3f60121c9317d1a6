// FAQ: the knowledge base (seed 004: thematic sections, articles, keyword search). Its articles
// arrive with the knowledge-base issue; until then the section explains itself and leads on.
import { button, intro } from '../dom.js';

export function render({ t, go }) {
  return intro({
    name: 'faq',
    title: t('faq.title'),
    text: t('faq.text'),
    points: [t('faq.point_topics'), t('faq.point_search'), t('faq.point_rate')],
    actions: [button(t('faq.ask_chat'), () => go('chat')), button(t('faq.new_request'), () => go('request'), true)],
  });
}
