// The clerk's inbox: new documents announced without reloading, the count in the title,
// and "select every valid one". Polls a small JSON answer (/inbox/poll) every 20 seconds
// and whenever the tab comes back into view.
(function () {
  "use strict";
  var box = document.getElementById("inbox");
  if (!box) { return; }
  var newest = box.dataset.newest, title = box.dataset.title;
  var arrivals = document.getElementById("arrivals");
  var todoCount = document.getElementById("todo-count");

  function show(answer) {
    document.title = (answer.todo ? "(" + answer.todo + ") " : "") + title;
    if (todoCount) { todoCount.textContent = answer.todo; }
    if (answer["new"] > 0 && arrivals) {
      var text = arrivals.querySelector("[data-template]");
      text.textContent = text.dataset.template.replace("__N__", answer["new"]);
      arrivals.hidden = false;
    }
  }

  function poll() {
    fetch(box.dataset.poll + "?since=" + encodeURIComponent(newest),
          {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (answer) { if (answer) { show(answer); } })
      .catch(function () { /* offline for a moment: the next poll tries again */ });
  }

  window.setInterval(poll, 20000);
  window.addEventListener("focus", poll);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { poll(); }
  });

  var all = document.getElementById("select-all");
  if (all) {
    all.addEventListener("change", function () {
      document.querySelectorAll("input.pick").forEach(function (box) { box.checked = all.checked; });
    });
  }
})();
