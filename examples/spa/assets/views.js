// The app's screens. Each route names what HelpMenu should know about it: the module (sent as
// request and chat context) and the FAQ search that fits the screen.
const pill = (text, kind = '') => `<span class="pill ${kind}">${text}</span>`;

const table = (head, rows) => `
  <table>
    <thead><tr>${head.map((c) => `<th scope="col">${c}</th>`).join('')}</tr></thead>
    <tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody>
  </table>`;

export const ROUTES = {
  '/spa/': {
    title: 'Огляд',
    module: 'overview',
    faq: 'звіти завантаженість',
    html: () => `
      <div class="head"><div><p class="eyebrow">Готель «Карпати» · сьогодні</p><h1>Огляд</h1></div>
        <a class="btn" href="/spa/bookings" data-link>Усі бронювання</a></div>
      <section class="stats" aria-label="Сьогодні">
        <div class="stat"><span>Завантаженість</span><b>84%</b><small class="up">+6% до минулого тижня</small></div>
        <div class="stat"><span>Середня ціна</span><b>₴ 2 940</b><small class="up">+₴ 120</small></div>
        <div class="stat"><span>Нові бронювання</span><b>27</b><small>за 24 години</small></div>
        <div class="stat"><span>Канали онлайн</span><b>4 / 5</b><small class="down">Expedia: помилка синхронізації</small></div>
      </section>
      <section class="card"><h2>Завантаженість на 14 днів</h2>
        <div class="chart" aria-hidden="true">${[62, 70, 74, 81, 88, 93, 97, 84, 76, 72, 79, 86, 91, 95]
          .map((v) => `<i data-v="${v}"></i>`).join('')}</div>
      </section>`,
  },
  '/spa/bookings': {
    title: 'Бронювання',
    module: 'bookings',
    faq: 'змінити дати бронювання',
    html: () => `
      <div class="head"><div><p class="eyebrow">Готель «Карпати»</p><h1>Бронювання</h1></div></div>
      <section class="card flush">${table(['№', 'Гість', 'Канал', 'Заїзд', 'Ночей', 'Статус'], [
        ['R-5521', 'Оксана Мельник', 'Booking.com', '28.11', '3', pill('Підтверджено')],
        ['R-5524', 'Tomáš Dvořák', 'Сайт готелю', '28.11', '1', pill('Очікує оплати', 'wait')],
        ['R-5530', 'Anna Kowalska', 'Airbnb', '29.11', '5', pill('Підтверджено')],
        ['R-5533', 'Дмитро Бондар', 'Expedia', '30.11', '2', pill('Не синхронізовано', 'bad')],
      ])}</section>`,
  },
  '/spa/rates': {
    title: 'Тарифи',
    module: 'rates',
    faq: 'сезонні ціни',
    html: () => `
      <div class="head"><div><p class="eyebrow">Готель «Карпати»</p><h1>Тарифи</h1></div></div>
      <section class="card flush">${table(['Категорія', 'Базовий', 'Зима', 'Новий рік', 'Мін. ночей'], [
        ['Стандарт', '₴ 2 100', '₴ 2 600', '₴ 3 900', '1'],
        ['Делюкс', '₴ 2 800', '₴ 3 400', '₴ 5 200', '2'],
        ['Сімейний', '₴ 3 300', '₴ 3 900', '₴ 5 900', '2'],
        ['Люкс', '₴ 4 900', '₴ 5 600', '₴ 8 400', '3'],
      ])}</section>`,
  },
  '/spa/channels': {
    title: 'Канали',
    module: 'channels',
    faq: 'овербукінг синхронізація',
    html: () => `
      <div class="head"><div><p class="eyebrow">Готель «Карпати»</p><h1>Канали продажу</h1></div></div>
      <section class="channels">
        ${[['Booking.com', 'Синхронізовано 2 хв тому', ''], ['Airbnb', 'Синхронізовано 5 хв тому', ''],
          ['Сайт готелю', 'Синхронізовано щойно', ''], ['Google Hotels', 'Синхронізовано 9 хв тому', ''],
          ['Expedia', 'Помилка: тарифний план не знайдено', 'bad']]
          .map(([name, state, kind]) => `<div class="card channel ${kind}"><b>${name}</b><span>${state}</span></div>`).join('')}
      </section>`,
  },
};

export const NOT_FOUND = {
  title: 'Сторінку не знайдено',
  module: 'not-found',
  faq: '',
  html: () => `<div class="head"><h1>Сторінку не знайдено</h1></div>
    <p><a href="/spa/" data-link>На головну</a></p>`,
};

export function routeOf(path) {
  return ROUTES[path] || NOT_FOUND;
}
