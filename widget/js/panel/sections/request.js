// New request: a written question stored with a number (seed 004: type, comment, detailed message,
// importance, one file). The form arrives with the requests issue.
import { button, intro } from '../dom.js';

export function render({ t, go }) {
  return intro({
    name: 'request',
    title: t('request.title'),
    text: t('request.text'),
    points: [t('request.point_type'), t('request.point_importance'), t('request.point_file')],
    actions: [button(t('request.history'), () => go('history'), true)],
  });
}
