// Wide tables on a phone: a table in a .table-wrap scrolls sideways (the
// wrapper is a focusable region, so a keyboard scrolls it too). CSS paints a
// shadow at the edge that has more to show, with or without JavaScript;
// this adds the words "Scroll sideways to see the whole table" above each
// table, shown only while it really is wider than its box (so the sentence
// is true), and links them to the region as its description.
(function () {
  "use strict";
  var wraps = document.querySelectorAll(".table-wrap");
  if (!wraps.length) return;

  function update(wrap) {
    var hint = wrap.tableHint;
    var overflows = wrap.scrollWidth > wrap.clientWidth + 1;
    hint.hidden = !overflows;
    if (overflows) wrap.setAttribute("aria-describedby", hint.id);
    else wrap.removeAttribute("aria-describedby");
  }

  Array.prototype.forEach.call(wraps, function (wrap, index) {
    var hint = document.createElement("p");
    hint.className = "table-wrap__hint";
    hint.id = "table-hint-" + (index + 1);
    hint.hidden = true;
    hint.textContent = "Scroll sideways to see the whole table.";
    wrap.parentNode.insertBefore(hint, wrap);
    wrap.tableHint = hint;
    update(wrap);
  });

  function updateAll() {
    Array.prototype.forEach.call(wraps, update);
  }
  if (window.ResizeObserver) {
    var observer = new ResizeObserver(updateAll);
    Array.prototype.forEach.call(wraps, function (wrap) { observer.observe(wrap); });
  } else {
    window.addEventListener("resize", updateAll);
  }
})();
