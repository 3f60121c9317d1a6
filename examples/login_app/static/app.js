// The app's glue to HelpMenu. Its server signed the logged-in user's identity token and put it on
// this script tag; the page boots the widget with it, opens the widget from the app's own menu,
// and logs HelpMenu out together with the app.
window.HelpMenu = window.HelpMenu || function () { (window.HelpMenu.q = window.HelpMenu.q || []).push(arguments); };

(function () {
  var me = document.currentScript.dataset;
  var rendered = me.token;

  // The token this page was rendered with is good for five minutes. The loader calls this function
  // at boot and again whenever the widget session expires (a tab left open all shift): the first
  // call uses the rendered token, later ones ask our server for a fresh one.
  function helpmenuToken() {
    if (rendered) {
      var token = rendered;
      rendered = null;
      return token;
    }
    return fetch(me.tokenUrl, { credentials: 'same-origin' })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(new Error('HTTP ' + response.status)); })
      .then(function (body) { return body.token; });
  }

  HelpMenu('boot', {
    token: helpmenuToken,
    locale: me.locale,
    theme: { colorPrimary: '#2f66e0' }, // the app's blue
    context: { app: 'OtelDemo PMS', module: 'dashboard' },
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
