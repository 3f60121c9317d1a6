// The app's glue to HelpMenu. Its server signed the logged-in user's identity token and put it on
// this script tag; the page boots the widget with it, opens the widget from the app's own menu,
// and logs HelpMenu out together with the app.
window.HelpMenu = window.HelpMenu || function () { (window.HelpMenu.q = window.HelpMenu.q || []).push(arguments); };

(function () {
  var me = document.currentScript.dataset;
  var refreshedAt = 0;

  HelpMenu('boot', { token: me.token, locale: me.locale, context: { app: 'OtelDemo PMS', module: 'dashboard' } });

  // An identity token lives five minutes. When the widget needs a new session later (a tab left
  // open all shift), the loader reports the old token as expired: fetch a new one from our server
  // and boot again as the same user, which refreshes the session in place. At most once a minute,
  // so a server that keeps refusing cannot start a loop.
  HelpMenu('on', 'error', function (error) {
    if (error.code !== 'invalid_token' || error.reason !== 'expired' || Date.now() - refreshedAt < 60000) return;
    refreshedAt = Date.now();
    fetch(me.tokenUrl, { credentials: 'same-origin' })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (body) { HelpMenu('boot', { token: body.token, locale: me.locale }); })
      .catch(function () { /* logged out in another tab: the next page load goes to the log-in */ });
  });

  // The app's own Support menu drives the widget.
  document.addEventListener('click', function (event) {
    var button = event.target.closest('[data-helpmenu]');
    if (!button) return;
    var section = button.dataset.helpmenu;
    if (section === 'request') {
      HelpMenu('open', 'request', { context: { module: 'dashboard', screen: location.pathname } });
    } else {
      HelpMenu('open', section);
    }
  });

  // Signing out of the app signs out of HelpMenu: the widget, its session and whatever it kept in
  // this browser go before the next person at this computer sees the page.
  var logout = document.getElementById('logout');
  if (logout) logout.addEventListener('submit', function () { HelpMenu('shutdown'); });
})();
