// The standard instructions of a resolution form: choosing one puts its text into the
// instruction. What the head typed is never thrown away: the text is added after it.
(function () {
  "use strict";
  document.querySelectorAll("select.standard-instruction").forEach(function (select) {
    var target = document.getElementById(select.dataset.fills);
    if (!target) { return; }
    var standards = Array.prototype.map.call(select.options, function (o) { return o.text; });
    select.addEventListener("change", function () {
      var option = select.options[select.selectedIndex];
      if (!option || !option.value) { return; }
      var typed = target.value.trim();
      if (!typed || standards.indexOf(typed) !== -1) {
        target.value = option.text;
      } else if (typed.indexOf(option.text) === -1) {
        target.value = typed + "\n" + option.text;
      }
      target.focus();
    });
  });
}());

// The directory of state bodies: a search box (shown only with a script) narrows the
// choice to the bodies whose name or code holds what is typed, and picks the first.
(function () {
  "use strict";
  document.querySelectorAll("input.select-filter").forEach(function (input) {
    var select = document.getElementById(input.dataset.filters);
    if (!select) { return; }
    input.hidden = false;
    input.addEventListener("input", function () {
      var words = input.value.trim().toLowerCase();
      var first = null;
      Array.prototype.forEach.call(select.options, function (option) {
        var match = !option.value || option.text.toLowerCase().indexOf(words) !== -1;
        option.hidden = !match;
        if (match && option.value && first === null) { first = option; }
      });
      if (words && first !== null) { select.value = first.value; }
      if (!words) { select.value = ""; }
    });
  });
}());
