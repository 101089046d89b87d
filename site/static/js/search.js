// Progressive enhancement for the directory search. Without JavaScript the
// form submits as a plain GET and the filters sit in a <details> panel.
// With it, every filter change fetches the search again and swaps the whole
// form (counts, chips, the "Show N programs" button and results together, so
// they never disagree), adds a history entry (Back steps through changes),
// keeps focus where it was and announces the new count in a live region.
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  if (!form || !window.fetch || !window.URLSearchParams) return;
  var status = document.getElementById("search-status");
  var wide = window.matchMedia("(min-width: 48rem)");
  var pending = null;

  function queryString() {
    var params = new URLSearchParams(new FormData(form));
    Array.from(params.keys()).forEach(function (key) {
      if (params.get(key) === "") params.delete(key);
    });
    params.delete("page");
    return params.toString();
  }

  function openWideFilters() {
    var panel = document.getElementById("filters-panel");
    if (panel && wide.matches) panel.open = true;
  }

  // Swap the form's contents, keeping open disclosures and the focused control.
  function swap(html) {
    var openIds = Array.from(form.querySelectorAll("details[open]")).map(function (d) { return d.id; });
    var focusedId = document.activeElement && form.contains(document.activeElement) ? document.activeElement.id : "";
    form.innerHTML = html;
    openIds.forEach(function (id) {
      var details = id && document.getElementById(id);
      if (details) details.open = true;
    });
    openWideFilters();
    var focused = focusedId && document.getElementById(focusedId);
    if (focused) focused.focus({ preventScroll: true });
    var heading = document.getElementById("results-heading");
    if (status && heading) status.textContent = heading.textContent.trim() + ".";
    setTitle();
    bindLocate();
  }

  // The tab title follows the search (place and count): the fetched form
  // carries it; the site's " | FindCare" ending is kept.
  function setTitle() {
    var results = document.getElementById("search-results");
    var title = results && results.getAttribute("data-title");
    if (!title) return;
    var cut = document.title.lastIndexOf(" | ");
    document.title = title + (cut >= 0 ? document.title.slice(cut) : "");
  }

  function load(url, push) {
    if (pending) pending.abort();
    var controller = window.AbortController ? new AbortController() : null;
    pending = controller;
    form.setAttribute("aria-busy", "true");
    return fetch(url, { headers: { "X-Requested-With": "fetch" }, credentials: "same-origin",
                        signal: controller ? controller.signal : undefined })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        if (pending !== controller) return;
        if (push) history.pushState({ search: true }, "", url);
        swap(html);
      })
      .catch(function (error) {
        if (error && error.name === "AbortError") return;
        window.location.assign(url);
      })
      .finally(function () {
        if (pending === controller) form.removeAttribute("aria-busy");
      });
  }

  function currentUrl() {
    var qs = queryString();
    return form.action + (qs ? "?" + qs : "");
  }

  form.addEventListener("change", function (event) {
    if (event.target.matches("input[type=checkbox], select")) load(currentUrl(), true);
  });

  // "Show N programs" and "Search": update in place, then bring the results
  // into view (on a phone the filters panel closes first).
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var fromFilters = event.submitter && event.submitter.id === "apply-filters";
    load(currentUrl(), true).then(function () {
      var panel = document.getElementById("filters-panel");
      if (fromFilters && panel && !wide.matches) panel.open = false;
      var heading = document.getElementById("results-heading");
      var errors = document.getElementById("location-errors");
      if (errors) document.getElementById("id_location").focus();
      else if (heading) heading.focus();
    });
  });

  window.addEventListener("popstate", function () {
    load(window.location.href, false);
  });
  if (!history.state) history.replaceState({ search: true }, "", window.location.href);

  function bindLocate() {
    var locate = document.getElementById("use-my-location");
    if (!locate || !navigator.geolocation) return;
    locate.hidden = false;
    locate.addEventListener("click", function () {
      locate.textContent = "Finding your location…";
      navigator.geolocation.getCurrentPosition(
        function (position) {
          var input = form.querySelector("input[name=location]");
          input.value = position.coords.latitude.toFixed(3) + "," + position.coords.longitude.toFixed(3);
          load(currentUrl(), true);
        },
        function () { locate.textContent = "Location unavailable: enter a ZIP code"; },
        { timeout: 10000, maximumAge: 600000 }
      );
    });
  }

  openWideFilters();
  bindLocate();
})();
