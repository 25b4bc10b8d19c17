// Progress of a job run by the worker (an organisation import, a prepared
// export): polls the job's status and reloads the page when the job is no
// longer running. A progress bar that shows a value (the import's check)
// follows the job's percent; one without a value stays indeterminate.
// Loaded as a file because the CSP forbids inline script; without it the
// page still offers a refresh link.
(function () {
  "use strict";
  var section = document.querySelector("[data-job-progress]");
  if (!section) {
    return;
  }
  var url = section.getAttribute("data-status-url");
  var bar = section.querySelector("progress[value]");

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
        if (bar && typeof job.percent === "number") {
          bar.value = job.percent;
          bar.textContent = job.percent + "%";
        }
        window.setTimeout(poll, 1000);
      })
      .catch(function () {
        window.setTimeout(poll, 3000);
      });
  }
  window.setTimeout(poll, 500);
})();
