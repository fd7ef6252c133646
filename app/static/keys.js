// Keyboard shortcuts of the clerk's desk (written on the pages that have them):
// N next document (on the inbox: the first one), P previous, R register.
// Never while typing in a field, never with Ctrl, Alt or Meta. The physical key counts
// (event.code), so the Russian or Kazakh layout works the same (N is "т" there).
(function () {
  "use strict";
  var keys = {KeyN: "next", KeyP: "previous", KeyR: "register"};
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.altKey || event.metaKey || event.defaultPrevented) { return; }
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) {
      return;
    }
    var name = keys[event.code];
    if (!name) { return; }
    var element = document.querySelector('[data-key="' + name + '"]') ||
      (name === "next" ? document.querySelector('[data-key="first"]') : null);
    if (!element) { return; }
    event.preventDefault();
    element.click();
  });
})();
