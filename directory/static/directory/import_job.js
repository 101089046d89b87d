// The facility import page while a job runs: without this script the page
// has a "Refresh" link; with it, the status region updates every 2 seconds
// and the page reloads once the job has finished.
(function () {
  "use strict";
  var region = document.querySelector("[data-import-running]");
  if (!region || !window.fetch || !window.DOMParser) return;
  var url = region.getAttribute("data-import-running");

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("import-status");
        if (!fresh || !fresh.hasAttribute("data-import-running")) {
          window.location.reload();
          return;
        }
        region.innerHTML = fresh.innerHTML;
        window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 2000);
})();
