// Progress of a prepared export: polls the job's state and reloads the page
// when the file is ready (or the job failed). Loaded as a file because the
// CSP forbids inline script; without it the page still offers a refresh link.
(function () {
  "use strict";
  var section = document.querySelector("[data-export-progress]");
  if (!section) {
    return;
  }
  var url = section.getAttribute("data-status-url");

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (job) {
        if (!job) {
          return;
        }
        if (!job.running) {
          window.location.reload();
          return;
        }
        window.setTimeout(poll, 1500);
      })
      .catch(function () {
        window.setTimeout(poll, 3000);
      });
  }
  window.setTimeout(poll, 1000);
})();
