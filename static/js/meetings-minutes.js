// The minutes' "Print or save as PDF" button: shown only when JavaScript
// runs (without it, the page says to use the browser's Print command).
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.classList.remove("d-none");
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
