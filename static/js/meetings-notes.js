// Autosave of the notes per agenda item (templates/meetings/notes.html).
//
// Every keystroke keeps a draft in localStorage (text and the version it
// started from) until the server confirms it, so closing the tab or losing
// the connection loses nothing; the draft is sent again on reload or when
// the connection returns. Each save carries the version it started from; a
// stale save is refused (409) and both texts are shown for a merge.
// Once saved, the entry stays as a receipt (text and its new version): a
// page rendered while that save was still in flight shows the older text,
// and the receipt, newer than the page, puts the saved text back.
// Loaded as a file: the Content-Security-Policy forbids inline script.
(function () {
  "use strict";
  var root = document.getElementById("notes");
  if (!root || !window.fetch || !window.FormData) {
    return;
  }
  var DELAY = 800;
  var MAX_RETRY = 30000;

  // A value someone typed (a name) is set apart from the sentence by the
  // first-strong isolate marks, as chapters/bidi.py does on the server.
  function message(name, values) {
    var text = root.dataset[name] || "";
    Object.keys(values || {}).forEach(function (key) {
      text = text.replace("%(" + key + ")s", "\u2068" + values[key] + "\u2069");
    });
    return text;
  }

  var store = null;
  try {
    store = window.localStorage;
    store.setItem("cld-note-test", "1");
    store.removeItem("cld-note-test");
  } catch (error) {
    store = null;
  }

  function Note(form) {
    this.form = form;
    this.area = form.querySelector("textarea[name=text]");
    this.version = form.querySelector("input[name=version]");
    this.status = form.querySelector(".note-status");
    this.box = form.querySelector(".conflict");
    this.key = "cld-note:" + form.dataset.noteKey;
    this.timer = null;
    this.busy = false;
    this.again = false;
    this.retry = 2000;
    this.conflict = !this.box.classList.contains("d-none");
    this.theirs = {
      text: form.querySelector(".conflict-source").value,
      version: Number(this.version.value),
    };
    var note = this;
    this.area.addEventListener("input", function () {
      note.keepDraft();
      note.show(message("unsaved"));
      note.schedule(DELAY);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var choice = event.submitter && event.submitter.dataset.resolve;
      if (choice === "mine") {
        note.resolve(note.area.value);
      } else {
        note.save();
      }
    });
    this.box.querySelectorAll("[data-resolve]").forEach(function (button) {
      button.classList.remove("d-none");
      if (button.type === "button") {
        button.addEventListener("click", function () {
          var theirs = note.theirs.text;
          note.resolve(
            button.dataset.resolve === "theirs"
              ? theirs
              : theirs + (theirs && note.area.value ? "\n\n" : "") + note.area.value
          );
        });
      }
    });
    this.restore();
  }

  Note.prototype.show = function (text, isProblem) {
    this.status.textContent = text;
    this.status.classList.toggle("text-danger", Boolean(isProblem));
    this.status.classList.toggle("text-body-secondary", !isProblem);
  };

  Note.prototype.keepDraft = function (saved) {
    if (store) {
      store.setItem(
        this.key,
        JSON.stringify({
          text: this.area.value,
          version: Number(this.version.value),
          saved: Boolean(saved),
        })
      );
    }
  };

  Note.prototype.draft = function () {
    if (!store) {
      return null;
    }
    try {
      return JSON.parse(store.getItem(this.key) || "null");
    } catch (error) {
      return null;
    }
  };

  Note.prototype.restore = function () {
    var draft = this.draft();
    if (!draft || typeof draft.text !== "string") {
      return;
    }
    if (draft.saved) {
      // A receipt newer than the page: the page was rendered before this
      // device's last save landed. Anything older is superseded.
      if (draft.version > Number(this.version.value)) {
        this.area.value = draft.text;
        this.version.value = String(draft.version);
        this.show(message("savedPlain"));
      } else {
        store.removeItem(this.key);
      }
      return;
    }
    if (draft.text === this.area.value) {
      store.removeItem(this.key);
      return;
    }
    // Text typed here that the server never confirmed: put it back and
    // send it with the version it was written from, so that if another
    // organiser saved in between, the conflict shows both texts.
    this.area.value = draft.text;
    this.version.value = String(draft.version);
    this.show(message("restored"));
    this.schedule(0);
  };

  Note.prototype.schedule = function (delay) {
    var note = this;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(function () {
      note.save();
    }, delay);
  };

  Note.prototype.resolve = function (text) {
    this.area.value = text;
    this.version.value = String(this.theirs.version);
    this.conflict = false;
    this.box.classList.add("d-none");
    this.keepDraft();
    this.save();
  };

  Note.prototype.save = function () {
    if (this.conflict) {
      return;
    }
    if (this.busy) {
      this.again = true;
      return;
    }
    window.clearTimeout(this.timer);
    var note = this;
    var sent = this.area.value;
    this.busy = true;
    this.show(message("saving"));
    fetch(this.form.action, {
      method: "POST",
      body: new FormData(this.form),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("application/json") === -1) {
          // The sign-in page after a redirect, or the CSRF failure page.
          return { status: 0 };
        }
        return response.json().then(function (data) {
          return { status: response.status, data: data };
        });
      })
      .then(function (result) {
        note.busy = false;
        note.retry = 2000;
        if (result.status === 200) {
          note.version.value = String(result.data.version);
          if (note.area.value === sent) {
            note.keepDraft(true);
            note.show(message("saved", { time: result.data.saved_at }));
          } else {
            note.keepDraft();
            note.schedule(DELAY);
          }
        } else if (result.status === 409) {
          note.enterConflict(result.data);
        } else if (result.status === 400) {
          note.show(message("failed", { error: result.data.error }), true);
        } else {
          note.show(message("signedOut"), true);
          note.schedule(MAX_RETRY);
        }
        if (note.again && !note.conflict) {
          note.again = false;
          note.schedule(DELAY);
        }
      })
      .catch(function () {
        note.busy = false;
        note.show(message("offline"), true);
        note.schedule(note.retry);
        note.retry = Math.min(note.retry * 2, MAX_RETRY);
      });
  };

  Note.prototype.enterConflict = function (data) {
    this.conflict = true;
    this.theirs = { text: data.text, version: data.version };
    this.box.querySelector(".conflict-message").textContent = data.error;
    this.box.querySelector(".conflict-who").textContent = data.by
      ? message("conflictWho", { name: data.by, time: data.at })
      : "";
    var shown = this.box.querySelector(".conflict-text");
    shown.textContent = data.text;
    shown.style.whiteSpace = "pre-wrap";
    this.box.classList.remove("d-none");
    this.show(message("unsaved"), true);
  };

  var notes = [];
  root.querySelectorAll("form.note-form").forEach(function (form) {
    notes.push(new Note(form));
  });
  function saveWaiting() {
    notes.forEach(function (note) {
      var draft = note.draft();
      if (draft && !draft.saved && draft.text === note.area.value && !note.busy) {
        note.save();
      }
    });
  }
  window.addEventListener("online", saveWaiting);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      saveWaiting();
    }
  });
})();
