// The host page asks its own backend for a HelpMenu identity token (signed there with the site
// secret, never in the browser) and boots the widget as that user.
window.HelpMenu = window.HelpMenu || function () { (window.HelpMenu.q = window.HelpMenu.q || []).push(arguments); };
(function () {
  var variant = new URLSearchParams(location.search).get("variant");
  var url = "/helpmenu-token" + (variant ? "?variant=" + encodeURIComponent(variant) : "");
  HelpMenu("on", "error", function (error) { window.helpmenuErrors = (window.helpmenuErrors || []).concat([error]); });
  fetch(url, { credentials: "same-origin" })
    .then(function (response) { return response.json(); })
    .then(function (body) { HelpMenu("boot", { token: body.token }); });
})();
