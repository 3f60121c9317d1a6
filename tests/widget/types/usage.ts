// How a host app written in TypeScript drives HelpMenu: every command with its options, every event
// with its typed detail, and the DOM events. tests/widget/test_types.py type-checks this file
// against widget/helpmenu.d.ts; the @ts-expect-error lines prove the declarations refuse mistakes.
import type {
  HelpMenuChatEndedDetail,
  HelpMenuContext,
  HelpMenuErrorDetail,
  HelpMenuReadyDetail,
} from '../../../widget/helpmenu';

async function tokenFromOurBackend(): Promise<string> {
  const response = await fetch('/helpmenu-token', { credentials: 'same-origin' });
  const body: { token: string } = await response.json();
  return body.token;
}

const context: HelpMenuContext = { module: 'billing', invoice: 'INV-2211', draft: false, seats: 3 };

HelpMenu('boot', {
  site: 'pk_demo',
  token: tokenFromOurBackend,
  locale: 'uk',
  theme: { colorPrimary: '#0f766e', radius: '12px', zIndex: 1000, position: 'left', scheme: 'auto', launcher: 'icon' },
  context,
});
HelpMenu('boot', { token: 'eyJhbGciOiJIUzI1NiJ9.e30.sig' });
HelpMenu('boot', { token: () => 'eyJhbGciOiJIUzI1NiJ9.e30.sig' });
HelpMenu('boot');
window.HelpMenu('open');
HelpMenu('open', 'chat');
HelpMenu('open', 'faq', { article: 42 });
HelpMenu('open', 'faq', { query: 'cancel a booking' });
HelpMenu('open', 'request', {
  prefill: { topic: 'Billing', subject: 'Invoice', message: 'It does not print', importance: 'high' },
  lock: ['topic', 'importance'],
  context: { app_version: '4.2.1' },
});
HelpMenu('open', 'history', { request: 1042 });
HelpMenu('close');
HelpMenu('toggle');
HelpMenu('hide');
HelpMenu('show');
HelpMenu('setLocale', 'cs');
HelpMenu('setContext', { route: '/rooms/204' });
HelpMenu('setContext', null);

const onReady = (detail: HelpMenuReadyDetail): void => {
  const name: string | null = detail.user.name;
  const anonymous: boolean = detail.user.anonymous;
  console.log(name, anonymous, detail.locale);
};
HelpMenu('on', 'ready', onReady);
HelpMenu('off', 'ready', onReady);
HelpMenu('once', 'open', (detail) => console.log(detail.section === 'chat'));
HelpMenu('on', 'close', () => undefined);
HelpMenu('on', 'error', (detail: HelpMenuErrorDetail) => console.log(detail.code, detail.reason));
HelpMenu('on', 'request:created', (detail) => console.log(detail.number.toFixed(0)));
HelpMenu('on', 'notification:shown', (detail) => console.log(detail.kind === 'reply', detail.number));
HelpMenu('on', 'chat:started', () => undefined);
HelpMenu('once', 'chat:ended', (detail: HelpMenuChatEndedDetail) => console.log(detail.by));
HelpMenu('shutdown');

window.addEventListener('helpmenu:open', (event) => console.log(event.detail.section));
window.addEventListener('helpmenu:chat:ended', (event) => console.log(event.detail.by === 'agent'));
window.addEventListener('helpmenu:request:created', (event) => console.log(event.detail.number + 1));

// @ts-expect-error: not a command
HelpMenu('explode');
// @ts-expect-error: not a section
HelpMenu('open', 'settings');
// @ts-expect-error: not an event
HelpMenu('on', 'opened', () => undefined);
// @ts-expect-error: the open event's detail has no number
HelpMenu('on', 'open', (detail) => console.log(detail.number));
// @ts-expect-error: context values are flat
HelpMenu('setContext', { nested: { deep: true } });
// @ts-expect-error: a token callback returns a string
HelpMenu('boot', { token: () => 42 });
// @ts-expect-error: importance is one of four
HelpMenu('open', 'request', { prefill: { importance: 'urgent' } });
// @ts-expect-error: setLocale needs a language
HelpMenu('setLocale');
