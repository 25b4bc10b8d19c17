// Follows a batch of invitations being sent by the background worker: polls
// the progress URL and updates the <progress> bar and the counts. Loaded as
// a file (no inline script: the Content-Security-Policy forbids it).
(function () {
  "use strict";
  var box = document.getElementById("batch");
  if (!box || box.dataset.finished === "1") {
    return;
  }
  var bar = document.getElementById("batch-progress");
  var url = box.dataset.progressUrl;

  function show(data) {
    bar.max = Math.max(data.total, 1);
    bar.value = data.done;
    bar.textContent = data.done + " / " + data.total;
    ["sent", "failed", "queued", "total"].forEach(function (name) {
      var node = box.querySelector('[data-count="' + name + '"]');
      if (node) {
        node.textContent = data[name];
      }
    });
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (!data) {
          window.setTimeout(poll, 5000);
          return;
        }
        show(data);
        if (data.finished) {
          // Reload once to show the result of each recipient.
          window.location.reload();
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }

  window.setTimeout(poll, 1000);
})();
