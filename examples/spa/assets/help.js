// Everything the app does with HelpMenu, in one module: boot with the app's theme, hide the
// launcher in favour of the app's own Help menu, drive the widget from that menu, keep the widget's
// context in step with the route, and answer the widget's events in the app's own UI.
import { toast } from './toast.js';

// The queue stub: calls made before widget.js has arrived are replayed by it.
window.HelpMenu = window.HelpMenu || function () { (window.HelpMenu.q = window.HelpMenu.q || []).push(arguments); };
// Always the current global: the loader replaces the stub with the real function when it arrives.
const HelpMenu = (...args) => window.HelpMenu(...args);

const APP_VERSION = '3.8.2';
// The app's brand, handed to the widget: launcher, panel header, buttons and links take it.
const THEME = {
  colorPrimary: '#0f766e',
  colorOnPrimary: '#ffffff',
  colorAccent: '#f59e0b',
  colorText: '#10231f',
  colorMuted: '#4d625d',
  colorSurface: '#f2f7f6',
  colorBorder: '#d7e5e2',
  fontFamily: '"Segoe UI", system-ui, -apple-system, sans-serif',
  radius: '12px',
};

const button = document.getElementById('help-button');
const menu = document.getElementById('help-menu');
const dot = document.getElementById('help-dot');
const chatLive = document.getElementById('chat-live');
let route = null;

export function startHelp() {
  HelpMenu('hide'); // the app's own Help menu replaces the launcher
  HelpMenu('boot', { locale: document.documentElement.lang, theme: THEME, context: contextOf(null) });

  HelpMenu('on', 'request:created', ({ number }) => {
    toast({
      title: `Звернення №${number} надіслано`,
      text: 'Відповідь підтримки з’явиться в «Мої звернення».',
      action: { label: 'Переглянути', run: () => openHelp('history', { request: number }) },
    });
  });
  HelpMenu('on', 'notification:shown', () => { dot.hidden = false; });
  HelpMenu('on', 'chat:started', () => { chatLive.hidden = false; });
  HelpMenu('on', 'chat:ended', () => { chatLive.hidden = true; });
  HelpMenu('on', 'open', () => button.classList.add('active'));
  HelpMenu('on', 'close', () => button.classList.remove('active'));
  HelpMenu('on', 'error', (error) => {
    toast({ title: 'Допомога зараз недоступна', text: error.message || error.code, timeout: 0 });
  });

  button.addEventListener('click', () => setMenu(menu.hidden));
  menu.addEventListener('click', (event) => {
    const item = event.target.closest('button[data-help]');
    if (item) choose(item.dataset.help);
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !menu.hidden) {
      setMenu(false);
      button.focus();
    }
  });
  document.addEventListener('click', (event) => {
    if (!menu.hidden && !event.target.closest('.help')) setMenu(false);
  });
  // Tabbing out of the menu closes it, as a disclosure should.
  menu.parentElement.addEventListener('focusout', (event) => {
    if (!menu.hidden && !menu.parentElement.contains(event.relatedTarget)) setMenu(false);
  });
}

/** The router calls this on every route change: the widget's context follows the screen. */
export function helpRoute(next) {
  route = next;
  document.getElementById('help-faq-hint').textContent = next.faq ? `Про розділ «${next.title}»` : 'Пошук у довідці';
  HelpMenu('setContext', contextOf(next));
}

function contextOf(current) {
  return { app_version: APP_VERSION, module: current ? current.module : 'start' };
}

function setMenu(open) {
  menu.hidden = !open;
  button.setAttribute('aria-expanded', String(open));
  if (open) menu.querySelector('button').focus();
}

function choose(section) {
  setMenu(false);
  dot.hidden = true;
  // Focus goes back to the Help button first: the widget returns it there when the panel closes.
  button.focus();
  if (section === 'faq') return openHelp('faq', route && route.faq ? { query: route.faq } : {});
  if (section === 'request') {
    return openHelp('request', {
      prefill: {
        topic: 'Технічна проблема', // a topic of the site, by its exact name (or its id)
        subject: `Проблема в розділі «${route ? route.title : ''}»`,
        importance: 'normal',
      },
      lock: ['topic'],
      context: { screen: route ? route.module : 'start', url_path: location.pathname },
    });
  }
  return openHelp(section);
}

function openHelp(section, options) {
  HelpMenu('open', section, options || {});
}
