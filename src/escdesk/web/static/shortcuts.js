/* escdesk keyboard shortcuts: "/" searches, "?" lists the shortcuts, "g" then a letter goes to
   a page. Keys typed into a field are the field's, never a shortcut. Hand-written, no build. */
(function () {
  "use strict";
  if (window.escdeskShortcuts) return; // htmx may run the page's scripts again
  window.escdeskShortcuts = true;

  var GO = { d: "/", e: "/escalations", a: "/accounts", p: "/people", r: "/requests", t: "/triage" };
  var pendingGo = 0;

  function typing(target) {
    if (!target || !target.closest) return false;
    return Boolean(target.isContentEditable || target.closest("input, textarea, select, [contenteditable]"));
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) return;
    var dialog = document.getElementById("shortcuts");
    if (dialog && dialog.open) return; // the open list takes Esc itself
    var key = event.key;
    if (pendingGo && Date.now() - pendingGo < 1500 && GO[key]) {
      pendingGo = 0;
      event.preventDefault();
      window.location.assign(GO[key]);
      return;
    }
    pendingGo = 0;
    if (key === "/") {
      var box = document.getElementById("nav-search");
      if (box) {
        event.preventDefault();
        box.focus();
        box.select();
      }
    } else if (key === "?") {
      if (dialog && dialog.showModal) {
        event.preventDefault();
        dialog.showModal();
      }
    } else if (key === "g") {
      pendingGo = Date.now();
    }
  });
})();
