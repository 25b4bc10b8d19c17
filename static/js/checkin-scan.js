// Check-in by code (templates/meetings/partials/checkin_scan.html): a code
// read by the rear camera (BarcodeDetector, else the vendored jsQR, loaded
// only when the camera opens) or typed takes one path, a "checkin:code"
// event, posted; the server's answer, already translated, goes to the live
// region and the invitee's row is refreshed. No JavaScript: a plain form.
(function () {
  "use strict";
  var root = document.querySelector("[data-checkin-scan]");
  if (!root) {
    return;
  }
  var form = root.querySelector("[data-scan-form]");
  var input = form.querySelector("[name=code]");
  var result = root.querySelector("[data-scan-result]");
  var camera = root.querySelector("[data-scan-camera]");
  var video = root.querySelector("[data-scan-video]");
  var startButton = root.querySelector("[data-scan-start]");
  var stopButton = root.querySelector("[data-scan-stop]");
  var TONES = {
    checked_in: "success",
    already: "info",
    other_meeting: "warning",
    other_chapter: "warning",
    unknown: "danger",
    throttled: "danger"
  };
  // A code held in front of the camera is read many times a second.
  var REPEAT_AFTER_MS = 4000;
  var stream = null;
  var timer = null;
  var readFrame = null;
  var lastCode = "";
  var lastAt = 0;

  function show(text, tone) {
    result.textContent = text;
    result.className = "checkin-scan-result mt-2 alert alert-" + tone;
  }

  function refreshRow(invitation) {
    return fetch(window.location.href, { credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.text() : "";
      })
      .then(function (html) {
        if (!html) {
          return;
        }
        var fresh = new DOMParser().parseFromString(html, "text/html");
        ["#invitation-" + invitation, "[data-testid=present-count]"].forEach(
          function (selector) {
            var now = document.querySelector(selector);
            var then = fresh.querySelector(selector);
            if (now && then) {
              now.replaceWith(document.importNode(then, true));
            }
          }
        );
      });
  }

  function submit(code) {
    var body = new FormData(form);
    body.set("code", code);
    return fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    })
      .then(function (response) {
        return response.json();
      })
      .then(function (answer) {
        show(answer.message, TONES[answer.outcome] || "secondary");
        root.dispatchEvent(new CustomEvent("checkin:answer", { detail: answer }));
        return answer.invitation ? refreshRow(answer.invitation).then(function () {
          return answer;
        }) : answer;
      })
      .catch(function () {
        show(root.dataset.failed, "danger");
        return null;
      });
  }

  root.addEventListener("checkin:code", function (event) {
    var done = submit(event.detail.code);
    if (event.detail.typed) {
      done.then(function (answer) {
        if (answer && (answer.outcome === "checked_in" || answer.outcome === "already")) {
          input.value = "";
        }
      });
    }
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    root.dispatchEvent(
      new CustomEvent("checkin:code", { detail: { code: input.value, typed: true } })
    );
  });

  function loadDecoder() {
    return new Promise(function (resolve, reject) {
      if (window.jsQR) {
        resolve();
        return;
      }
      var script = document.createElement("script");
      script.src = root.dataset.decoder;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function jsqrReader() {
    var canvas = document.createElement("canvas");
    var context = canvas.getContext("2d", { willReadFrequently: true });
    return function () {
      var width = video.videoWidth;
      var height = video.videoHeight;
      if (!width || !height) {
        return Promise.resolve(null);
      }
      // Smaller is faster; a code held up close stays many pixels wide.
      var scale = Math.min(1, 640 / Math.max(width, height));
      canvas.width = Math.round(width * scale);
      canvas.height = Math.round(height * scale);
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var image = context.getImageData(0, 0, canvas.width, canvas.height);
      var found = window.jsQR(image.data, image.width, image.height, {
        inversionAttempts: "dontInvert"
      });
      return Promise.resolve(found ? found.data : null);
    };
  }

  function makeReader() {
    if ("BarcodeDetector" in window) {
      return window.BarcodeDetector.getSupportedFormats()
        .then(function (formats) {
          if (formats.indexOf("qr_code") < 0) {
            throw new Error("no QR codes");
          }
          var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
          return function () {
            return detector.detect(video).then(function (codes) {
              return codes.length ? codes[0].rawValue : null;
            });
          };
        })
        .catch(function () {
          return loadDecoder().then(jsqrReader);
        });
    }
    return loadDecoder().then(jsqrReader);
  }

  function tick() {
    if (!stream) {
      return;
    }
    readFrame()
      .catch(function () {
        return null;
      })
      .then(function (code) {
        var now = Date.now();
        if (code && (code !== lastCode || now - lastAt > REPEAT_AFTER_MS)) {
          lastCode = code;
          lastAt = now;
          root.dispatchEvent(new CustomEvent("checkin:code", { detail: { code: code } }));
        }
        if (stream) {
          timer = window.setTimeout(tick, 200);
        }
      });
  }

  function stop() {
    window.clearTimeout(timer);
    if (stream) {
      stream.getTracks().forEach(function (track) {
        track.stop();
      });
    }
    stream = null;
    video.srcObject = null;
    camera.hidden = true;
    stopButton.hidden = true;
    startButton.hidden = false;
  }

  function start() {
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: { ideal: "environment" } }, audio: false })
      .then(function (opened) {
        stream = opened;
        video.srcObject = stream;
        camera.hidden = false;
        startButton.hidden = true;
        stopButton.hidden = false;
        return Promise.all([video.play(), readFrame || makeReader()]);
      })
      .then(function (ready) {
        readFrame = ready[1];
        tick();
      })
      .catch(function () {
        stop();
        show(root.dataset.noCamera, "warning");
      });
  }

  if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    startButton.hidden = false;
    startButton.addEventListener("click", start);
    stopButton.addEventListener("click", stop);
    // The camera is not left on behind another tab or a locked screen.
    document.addEventListener("visibilitychange", function () {
      if (document.hidden) {
        stop();
      }
    });
  }
})();
