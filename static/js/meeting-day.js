// The meeting day without the network (templates/meetings/partials/meeting_day.html).
//
// On the check-in and ideas pages, a form marked data-offline-kind is not
// posted as a page: the action is first written to IndexedDB with an id made
// here (a UUID), then sent. If the network is gone it waits on the device,
// shown on the page as "waiting to be sent", across closing and reopening
// the tab, and is sent when the network returns, oldest first. The server
// applies each id once (meetings/services/device_actions.py), so a resend
// after a lost answer never doubles a check-in, a walk-in or an idea. An
// action the server refuses (a form error) is kept and shown until
// dismissed; online, such a form is posted as a page so its errors show.
//
// The notes page keeps its own drafts (meetings-notes.js); they are counted
// here. The service worker (meeting-day-sw.js, at the site's root) keeps the
// meeting's pages so they open offline, until the day after the meeting.
// Loaded as a file: the Content-Security-Policy forbids inline script.
(function () {
  "use strict";
  var root = document.getElementById("meeting-day");
  if (!root || !window.fetch || !window.indexedDB || !window.URLSearchParams) {
    return;
  }
  var text = root.dataset;
  var meeting = text.meeting;
  var STORE = "actions";
  var SYNCED = "cld-meeting-day-synced:" + meeting;
  var KEPT = "cld-meeting-day-kept:" + meeting + ":" + text.language;
  var RETRY = 15000;
  var reachable = navigator.onLine;
  var signedOut = false;

  function localStore() {
    try {
      return window.localStorage;
    } catch (error) {
      return null;
    }
  }

  // IndexedDB: one store of actions, by id, indexed by meeting -------------

  var opening = null;

  function database() {
    if (!opening) {
      opening = new Promise(function (resolve, reject) {
        var request = indexedDB.open("cld-meeting-day", 1);
        request.onupgradeneeded = function () {
          var store = request.result.createObjectStore(STORE, { keyPath: "id" });
          store.createIndex("meeting", "meeting");
        };
        request.onsuccess = function () {
          resolve(request.result);
        };
        request.onerror = function () {
          reject(request.error);
        };
      });
    }
    return opening;
  }

  function inStore(mode, work) {
    return database().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(STORE, mode);
        var request = work(transaction.objectStore(STORE));
        transaction.oncomplete = function () {
          resolve(request.result);
        };
        transaction.onerror = transaction.onabort = function () {
          reject(transaction.error);
        };
      });
    });
  }

  function actions() {
    return inStore("readonly", function (store) {
      return store.index("meeting").getAll(meeting);
    }).then(function (list) {
      return list.sort(function (a, b) {
        return a.created - b.created;
      });
    });
  }

  function save(action) {
    return inStore("readwrite", function (store) {
      return store.put(action);
    });
  }

  function drop(id) {
    return inStore("readwrite", function (store) {
      return store.delete(id);
    });
  }

  // Sending ----------------------------------------------------------------

  function newId() {
    if (window.crypto && crypto.randomUUID) {
      return crypto.randomUUID();
    }
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map
      .call(bytes, function (b) {
        return (b + 0x100).toString(16).slice(1);
      })
      .join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  // "applied", "refused" (the server would not record it), "signed-out" or
  // "later" (no network, or the server is down: try again). An applied form
  // post answers with a redirect to its page; a redirect to the sign-in
  // page means the session ended, and the action still waits.
  function send(action) {
    var body = new URLSearchParams();
    action.fields.forEach(function (pair) {
      body.append(pair[0], pair[1]);
    });
    body.append("client_id", action.id);
    return fetch(action.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken() },
    }).then(
      function (response) {
        reachable = true;
        var landed = new URL(response.url, location.href).pathname;
        if (response.redirected && landed === text.login) {
          return "signed-out";
        }
        if (response.ok && response.redirected) {
          return "applied";
        }
        if (response.status === 400 || response.status === 404) {
          return "refused";
        }
        if (response.status === 403) {
          return "signed-out";
        }
        return "later";
      },
      function () {
        reachable = false;
        return "later";
      }
    );
  }

  function markSent() {
    var store = localStore();
    if (store) {
      store.setItem(SYNCED, String(Date.now()));
    }
  }

  function typing() {
    var active = document.activeElement;
    return Boolean(active && /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName) && active.value);
  }

  var flushing = null;

  // Send what waits, oldest first; stop at the first that cannot go yet, so
  // an undo is never sent before its check-in.
  function flush() {
    if (flushing) {
      // One run at a time; an action queued during a run goes in the next.
      return flushing.then(function () {
        return flush();
      });
    }
    var sentHere = false;
    flushing = actions()
      .then(function (list) {
        var waiting = list.filter(function (action) {
          return action.state === "waiting";
        });
        var applied = 0;
        function next(index) {
          if (index >= waiting.length) {
            return applied;
          }
          var action = waiting[index];
          return send(action).then(function (outcome) {
            if (outcome === "applied") {
              applied += 1;
              sentHere = sentHere || action.page === location.pathname;
              return drop(action.id).then(function () {
                return next(index + 1);
              });
            }
            if (outcome === "refused") {
              action.state = "refused";
              return save(action).then(function () {
                return next(index + 1);
              });
            }
            signedOut = outcome === "signed-out";
            return applied;
          });
        }
        return next(0);
      })
      .then(function (applied) {
        if (applied) {
          signedOut = false;
          markSent();
        }
        flushing = null;
        // The page as the server now has it, unless someone is typing.
        if (sentHere && !typing()) {
          location.replace(location.pathname);
        }
        return render();
      })
      .catch(function () {
        flushing = null;
      });
    return flushing;
  }

  // Forms ------------------------------------------------------------------

  function fieldsOf(form, submitter) {
    var data = new FormData(form);
    var fields = [];
    data.forEach(function (value, key) {
      if (key !== "csrfmiddlewaretoken" && typeof value === "string") {
        fields.push([key, value]);
      }
    });
    if (submitter && submitter.name) {
      fields.push([submitter.name, submitter.value]);
    }
    return fields;
  }

  function field(action, name) {
    var pair = action.fields.filter(function (item) {
      return item[0] === name;
    })[0];
    return pair ? pair[1] : "";
  }

  function postAsPage(form, submitter, id) {
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = "client_id";
    input.value = id;
    form.appendChild(input);
    form.dataset.native = "1";
    if (form.requestSubmit) {
      form.requestSubmit(submitter || undefined);
    } else {
      form.submit();
    }
  }

  // A form's address: not form.action, which a field named "action"
  // (the check-in buttons) hides.
  function addressOf(form) {
    return new URL(form.getAttribute("action") || location.href, location.href).href;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (text.logout && new URL(addressOf(form)).pathname === text.logout) {
      warnBeforeSignOut(event);
      return;
    }
    var kind = form.dataset && form.dataset.offlineKind;
    if (!kind || form.dataset.native) {
      return;
    }
    event.preventDefault();
    var submitter = event.submitter;
    var fields = fieldsOf(form, submitter);
    var action = {
      id: newId(),
      meeting: meeting,
      url: addressOf(form),
      page: location.pathname,
      kind: kind,
      fields: fields,
      label: form.dataset.offlineLabel || "",
      created: Date.now(),
      state: "waiting",
    };
    action.kind = kind === "row" ? field(action, "action") : kind;
    if (!action.label) {
      action.label = field(action, "name") || field(action, "text");
    }
    save(action)
      .then(function () {
        // The queue's older actions go first.
        return flush();
      })
      .then(function () {
        return actions();
      })
      .then(function (list) {
        var mine = list.filter(function (item) {
          return item.id === action.id;
        })[0];
        if (mine && mine.state === "refused") {
          // Online and refused: post it as a page, whose errors say why.
          return drop(mine.id).then(function () {
            postAsPage(form, submitter, mine.id);
          });
        }
        if (mine && kind !== "row") {
          form.reset();
        }
        return render();
      });
  });

  function warnBeforeSignOut(event) {
    var waiting = Number(root.dataset.waitingCount || 0);
    if (waiting && !window.confirm(text.textSignOut)) {
      event.preventDefault();
      return;
    }
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({ type: "forget" });
    }
  }

  // What waits, on the page -------------------------------------------------

  function element(tag, className, content) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (content) {
      node.textContent = content;
    }
    node.setAttribute("data-pending-overlay", "");
    return node;
  }

  function pendingBadge(label) {
    var badge = element("span", "badge text-bg-warning", label || text.textPending);
    badge.setAttribute("data-testid", "waiting-badge");
    return badge;
  }

  function cancelButton(action) {
    var button = element("button", "btn btn-sm btn-link", text.textCancel);
    button.type = "button";
    button.addEventListener("click", function () {
      drop(action.id).then(render);
    });
    return button;
  }

  function hide(node) {
    if (node && !node.hidden) {
      node.hidden = true;
      node.setAttribute("data-pending-hidden", "");
    }
  }

  function listFor(kind) {
    return document.querySelector("[data-offline-list=" + kind + "]");
  }

  function overlay(action) {
    if (action.kind === "check_in" || action.kind === "undo") {
      var row = field(action, "invitation")
        ? document.getElementById("invitation-" + field(action, "invitation"))
        : document.querySelector("[data-attendance='" + field(action, "attendance") + "']");
      var form = row && row.querySelector("form[data-offline-kind]");
      if (!form) {
        return;
      }
      hide(form);
      var box = element("div", "d-flex flex-wrap align-items-center gap-2");
      box.appendChild(
        pendingBadge(action.kind === "undo" ? text.textUndoPending : text.textPending)
      );
      box.appendChild(cancelButton(action));
      form.parentNode.appendChild(box);
      return;
    }
    var list = listFor(action.kind);
    if (!list) {
      return;
    }
    var item = element("li", "list-group-item d-flex flex-wrap justify-content-between align-items-center gap-2");
    var what = element("div");
    var name = element("span", "fw-semibold", action.label);
    name.dir = "auto";
    what.appendChild(name);
    var detail = field(action, "organisation_name");
    if (detail) {
      var small = element("div", "small text-body-secondary", detail);
      small.dir = "auto";
      what.appendChild(small);
    }
    item.appendChild(what);
    var side = element("div", "d-flex align-items-center gap-2");
    side.appendChild(pendingBadge());
    side.appendChild(cancelButton(action));
    item.appendChild(side);
    list.hidden = false;
    list.insertBefore(item, list.firstChild);
    var empty = list.querySelector("[data-offline-empty]");
    hide(empty);
  }

  function noteDrafts() {
    var store = localStore();
    var count = 0;
    if (!store) {
      return 0;
    }
    for (var index = 0; index < store.length; index += 1) {
      var key = store.key(index);
      if (key && key.indexOf("cld-note:") === 0) {
        try {
          var draft = JSON.parse(store.getItem(key) || "null");
          if (draft && draft.saved === false) {
            count += 1;
          }
        } catch (error) {
          // Not one of ours.
        }
      }
    }
    return count;
  }

  function timeOf(stamp) {
    try {
      return new Intl.DateTimeFormat(text.language, {
        hour: "2-digit",
        minute: "2-digit",
      }).format(new Date(stamp));
    } catch (error) {
      return new Date(stamp).toLocaleTimeString();
    }
  }

  function part(role) {
    return root.querySelector("[data-role=" + role + "]");
  }

  function showStatus(waiting, refused) {
    var online = navigator.onLine && reachable;
    root.hidden = false;
    root.classList.toggle("is-offline", !online);
    part("state").textContent = online ? text.textOnline : text.textOffline;
    root.dataset.state = online ? "online" : "offline";
    root.dataset.waitingCount = String(waiting);
    part("waiting").textContent = waiting ? text.textWaiting + " " + waiting : text.textAllSent;
    var store = localStore();
    var stamp = store && Number(store.getItem(SYNCED));
    part("synced").textContent = stamp ? text.textSynced + " " + timeOf(stamp) : "";
    var warning = part("signed-out");
    warning.hidden = !signedOut;
    warning.textContent = signedOut ? text.textSignedOut : "";
    var list = part("refused");
    list.textContent = "";
    refused.forEach(function (action) {
      var item = document.createElement("li");
      item.className = "text-danger-emphasis";
      var label = document.createElement("span");
      label.dir = "auto";
      label.textContent = action.label;
      item.appendChild(label);
      item.appendChild(document.createTextNode(" · " + text.textRefused + " "));
      var dismiss = document.createElement("button");
      dismiss.type = "button";
      dismiss.className = "btn btn-sm btn-link";
      dismiss.textContent = text.textDismiss;
      dismiss.addEventListener("click", function () {
        drop(action.id).then(render);
      });
      item.appendChild(dismiss);
      list.appendChild(item);
    });
  }

  function render() {
    return actions().then(function (list) {
      document.querySelectorAll("[data-pending-overlay]").forEach(function (node) {
        node.remove();
      });
      document.querySelectorAll("[data-pending-hidden]").forEach(function (node) {
        node.hidden = false;
        node.removeAttribute("data-pending-hidden");
      });
      var waiting = list.filter(function (action) {
        return action.state === "waiting";
      });
      waiting
        .filter(function (action) {
          return action.page === location.pathname;
        })
        .forEach(overlay);
      showStatus(
        waiting.length + noteDrafts(),
        list.filter(function (action) {
          return action.state === "refused";
        })
      );
    });
  }

  // Keeping the meeting's pages on the device --------------------------------

  function offlinePage() {
    var template = document.getElementById("meeting-day-offline-page");
    if (!template) {
      return "";
    }
    var styles = (template.dataset.styles || "")
      .split(" ")
      .filter(Boolean)
      .map(function (href) {
        return '<link rel="stylesheet" href="' + href + '">';
      })
      .join("");
    return (
      '<!DOCTYPE html><html lang="' + text.language + '" dir="' + text.direction + '"><head>' +
      '<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
      "<title>" + template.dataset.title + "</title>" + styles + "</head><body>" +
      // The heading is a paragraph inside the page's template, so that the
      // page itself keeps its outline; it is the offline page's h1.
      template.innerHTML.replace(
        /<p class="h4" data-offline-heading="">([^<]*)<\/p>/,
        '<h1 class="h4">$1</h1>'
      ) +
      "</body></html>"
    );
  }

  function keepPages(registration) {
    var until = Number(text.until) * 1000;
    var store = localStore();
    var last = store && Number(store.getItem(KEPT));
    // Once in ten minutes is enough: each page read is a page rendered.
    if (!registration.active || until <= Date.now() || (last && Date.now() - last < 600000)) {
      return;
    }
    if (store) {
      store.setItem(KEPT, String(Date.now()));
    }
    registration.active.postMessage({
      type: "keep",
      pages: text.pages.split(" "),
      until: until,
      language: text.language,
      offlinePage: offlinePage(),
    });
  }

  if (navigator.serviceWorker && window.isSecureContext) {
    navigator.serviceWorker
      .register(text.worker, { scope: "/" })
      .then(function () {
        return navigator.serviceWorker.ready;
      })
      .then(keepPages)
      .catch(function () {
        // Without a worker the page still queues its actions.
      });
  }

  window.addEventListener("online", function () {
    reachable = true;
    flush();
  });
  window.addEventListener("offline", function () {
    reachable = false;
    render();
  });
  setInterval(function () {
    if (document.visibilityState === "visible") {
      if (navigator.onLine && Number(root.dataset.waitingCount || 0)) {
        flush();
      } else {
        render();
      }
    }
  }, RETRY);
  // For tests and for the notes page's own drafts: the status on demand.
  root.addEventListener("meeting-day:refresh", function () {
    render();
  });
  render().then(function () {
    if (navigator.onLine && Number(root.dataset.waitingCount || 0)) {
      flush();
    }
  });
})();
