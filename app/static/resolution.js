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
