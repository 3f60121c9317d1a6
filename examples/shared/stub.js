// HelpMenu's queue stub as a file, for host pages whose CSP forbids inline scripts. Calls made
// before the loader arrives are queued and replayed by it.
window.HelpMenu = window.HelpMenu || function () { (window.HelpMenu.q = window.HelpMenu.q || []).push(arguments); };
