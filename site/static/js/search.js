// Progressive enhancement for the directory search. Without JavaScript the
// form submits as a plain GET; with it, filter changes refresh the results
// in place and "Use my location" fills the location (only when clicked).
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  if (!form || !window.fetch || !window.URLSearchParams) return;
  var results = document.getElementById("search-results");

  function queryString() {
    var params = new URLSearchParams(new FormData(form));
    Array.from(params.keys()).forEach(function (key) {
      if (params.get(key) === "") params.delete(key);
    });
    return params.toString();
  }

  var pending = null;

  function refresh() {
    var qs = queryString();
    var url = form.action + (qs ? "?" + qs : "");
    // Only the latest search may update the page: quick clicks must not
    // let an older, slower response overwrite a newer one.
    if (pending) pending.abort();
    var controller = window.AbortController ? new AbortController() : null;
    pending = controller;
    results.setAttribute("aria-busy", "true");
    fetch(url, { headers: { "X-Requested-With": "fetch" }, credentials: "same-origin",
                 signal: controller ? controller.signal : undefined })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        results.innerHTML = html;
        history.replaceState(null, "", url);
      })
      .catch(function (error) {
        if (error && error.name === "AbortError") return;
        form.submit();
      })
      .finally(function () {
        if (pending === controller) results.removeAttribute("aria-busy");
      });
  }

  form.addEventListener("change", function (event) {
    if (event.target.matches("input[type=checkbox], select")) refresh();
  });

  var locate = document.getElementById("use-my-location");
  if (locate && navigator.geolocation) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      locate.textContent = "Finding your location…";
      navigator.geolocation.getCurrentPosition(
        function (position) {
          var input = form.querySelector("input[name=location]");
          input.value = position.coords.latitude.toFixed(3) + "," + position.coords.longitude.toFixed(3);
          form.submit();
        },
        function () { locate.textContent = "Location unavailable: enter a ZIP code"; },
        { timeout: 10000, maximumAge: 600000 }
      );
    });
  }
})();
