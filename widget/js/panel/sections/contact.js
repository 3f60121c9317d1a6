// Contact us: the alternative channels of seed 004 for when the user cannot sign in or prefers to
// talk: phones per country (tel: links), e-mails per kind of question (mailto: links) and the
// support hours in the user's locale with the site's time zone named.
import { h, icon } from '../dom.js';
import { statusLine, upcomingHolidays, weekRows, zoneName } from '../hours.js';


function channels(t, contacts) {
  const phones = contacts.phones || [];
  const emails = contacts.emails || [];
  if (!phones.length && !emails.length) return h('p', { class: 'muted' }, t('contact.none'));
  return h(
    'div',
    null,
    phones.length > 0 && h('h3', null, t('contact.phones')),
    phones.length > 0 &&
      h(
        'ul',
        { class: 'list' },
        phones.map((phone) =>
          h(
            'li',
            null,
            h(
              'a',
              { href: `tel:${phone.number}`, class: 'row' },
              // The country code, not a flag emoji: many systems have no emoji font.
              h('span', { class: 'flag code', 'aria-hidden': 'true' }, phone.country),
              h('span', { class: 'grow' }, h('strong', null, phone.number), h('small', null, phone.label || phone.country)),
              icon('arrow', 'chev'),
            ),
          ),
        ),
      ),
    emails.length > 0 && h('h3', null, t('contact.emails')),
    emails.length > 0 &&
      h(
        'ul',
        { class: 'list' },
        emails.map((email) =>
          h(
            'li',
            null,
            h(
              'a',
              { href: `mailto:${email.address}`, class: 'row' },
              h('span', { class: 'flag' }, icon('mail')),
              h('span', { class: 'grow' }, h('strong', null, t(`contact.kind.${email.kind}`)), h('small', null, email.address)),
              icon('arrow', 'chev'),
            ),
          ),
        ),
      ),
  );
}

function hours(t, locale, site) {
  const schedule = site.schedule || { timezone: 'UTC', weekly: null };
  const holidays = upcomingHolidays(locale, schedule.holidays);
  return h(
    'section',
    { class: 'card' },
    h('div', { class: 'split' }, h('h3', null, t('contact.hours')),
      h('span', { class: site.open_now ? 'pill on' : 'pill' }, statusLine(t, locale, site))),
    schedule.weekly
      ? h(
          'table',
          { class: 'week' },
          h('caption', { class: 'sr' }, t('contact.hours')),
          h('tbody', null, weekRows(locale, schedule).map((row) =>
            h(
              'tr',
              { class: row.today ? 'today' : null, 'aria-current': row.today ? 'date' : null },
              h('th', { scope: 'row' }, row.name),
              h('td', null, row.ranges.length ? row.ranges.join(', ') : t('contact.closed_day')),
            ),
          )),
        )
      : h('p', { class: 'always' }, icon('clock'), h('span', null, t('contact.always'))),
    h('p', { class: 'muted small zone' }, t('contact.timezone', { zone: zoneName(locale, schedule.timezone) })),
    holidays.length > 0 && h('p', { class: 'muted small' }, t('contact.holidays', { dates: holidays.join('; ') })),
  );
}

export function render({ t, locale, site }) {
  const body = h('div', { class: 'stack' }, h('div', { class: 'loading', role: 'status' }, t('panel.loading')));
  site().then(
    (info) => body.replaceChildren(hours(t, locale, info)),
    () => body.replaceChildren(h('p', { class: 'error', role: 'alert' }, t('contact.failed'))),
  );
  const view = h(
    'div',
    { class: 'stack' },
    h(
      'section',
      { class: 'card intro' },
      h('div', { class: 'badge' }, icon('contact')),
      h('h2', { tabindex: '-1' }, t('contact.title')),
      h('p', null, t('contact.text')),
      h('div', { class: 'channels' }),
    ),
    body,
  );
  site().then(
    (info) => view.querySelector('.channels').replaceChildren(channels(t, info.contacts || {})),
    () => {},
  );
  return view;
}

