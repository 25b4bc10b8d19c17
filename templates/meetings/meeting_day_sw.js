{% autoescape off %}// The meeting day's service worker (registered by static/js/meeting-day.js).
//
// It keeps, on the organiser's device, the pages of the meeting day that say
// they may be kept (the X-Offline-Until header of check-in, notes and ideas:
// the end of the day after the meeting) and the static files they use, so
// that they open with the network gone. Nothing else is kept: any other page
// goes to the network as usual. A kept page is served only while the network
// fails and is deleted once its time is over; signing out deletes everything
// (the server's Clear-Site-Data header). Actions taken offline are not kept
// here but by the page, in IndexedDB (meeting-day.js).
"use strict";

var PAGES = "cld-meeting-day-pages";
var FILES = "cld-meeting-day-files";
var STATIC = "{{ static_prefix|escapejs }}";
var UNTIL = "X-Offline-Until";

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(Promise.all([self.clients.claim(), forgetExpired()]));
});

function until(response) {
  var value = Number(response && response.headers.get(UNTIL));
  return isFinite(value) ? value : 0;
}

function fresh(response) {
  return Boolean(response) && until(response) > Date.now();
}

// A page is kept under its address without the query string (a search of
// the check-in list is not kept).
function pageKey(url) {
  var address = new URL(url, self.location.href);
  return address.origin + address.pathname;
}

function forgetExpired() {
  return caches.open(PAGES).then(function (cache) {
    return cache.keys().then(function (requests) {
      return Promise.all(
        requests.map(function (request) {
          return cache.match(request).then(function (response) {
            if (!fresh(response)) {
              return cache.delete(request);
            }
            return null;
          });
        })
      );
    });
  });
}

function keep(url, response) {
  // Kept only while its time runs; a page past it is deleted at once.
  return caches.open(PAGES).then(function (cache) {
    if (response.ok && !new URL(url).search && fresh(response)) {
      return cache.put(pageKey(url), response);
    }
    return cache.delete(pageKey(url));
  });
}

function offline(url) {
  return caches.open(PAGES).then(function (cache) {
    return cache.match(pageKey(url)).then(function (response) {
      if (fresh(response)) {
        return response;
      }
      // The short offline page in the address's language, else in any.
      var language = new URL(url).pathname.split("/")[1] || "";
      var shells = self.location.origin + "/offline/";
      return cache.match(shells + language).then(function (page) {
        if (page) {
          return page;
        }
        return cache.keys().then(function (requests) {
          var any = requests.filter(function (request) {
            return request.url.indexOf(shells) === 0;
          })[0];
          return any
            ? cache.match(any)
            : new Response("Offline.", {
                status: 503,
                headers: { "Content-Type": "text/plain; charset=utf-8" },
              });
        });
      });
    });
  });
}

function pageFromNetwork(request) {
  return fetch(request)
    .then(function (response) {
      if (response.headers.has(UNTIL)) {
        return keep(request.url, response.clone()).then(function () {
          return response;
        });
      }
      return response;
    })
    .catch(function () {
      return offline(request.url);
    });
}

// Static files have names that change with their content in production:
// the kept copy answers at once and is refreshed behind it.
function file(request) {
  return caches.open(FILES).then(function (cache) {
    return cache.match(request).then(function (kept) {
      var network = fetch(request)
        .then(function (response) {
          if (response.ok) {
            cache.put(request, response.clone());
          }
          return response;
        })
        .catch(function () {
          return kept || Response.error();
        });
      return kept || network;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") {
    return;
  }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (url.pathname.indexOf(STATIC) === 0) {
    event.respondWith(file(request));
  } else if (request.mode === "navigate") {
    event.respondWith(pageFromNetwork(request));
  }
});

// A page of the meeting asks to keep the meeting's day pages before the day
// (the organiser opened the meeting while online), with the files they use,
// and the short page shown for any other page while offline.
var ASSET = /(?:src|href)="(\/[^"]+\.(?:css|js|svg|woff2|png))"/g;

function keepPage(url) {
  return fetch(url, { credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok || !response.headers.has(UNTIL)) {
        return null;
      }
      return response
        .clone()
        .text()
        .then(function (html) {
          var files = [];
          var match;
          while ((match = ASSET.exec(html))) {
            if (match[1].indexOf(STATIC) === 0) {
              files.push(match[1]);
            }
          }
          return Promise.all([
            keep(new URL(url, self.location.href).href, response),
            caches.open(FILES).then(function (cache) {
              return Promise.all(
                files.map(function (address) {
                  return cache.match(address).then(function (kept) {
                    return kept || cache.add(address).catch(function () {});
                  });
                })
              );
            }),
          ]);
        });
    })
    .catch(function () {
      return null;
    });
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "keep") {
    var shell = caches.open(PAGES).then(function (cache) {
      return cache.put(
        self.location.origin + "/offline/" + data.language,
        new Response(data.offlinePage, {
          status: 503,
          headers: {
            "Content-Type": "text/html; charset=utf-8",
            "X-Offline-Until": String(data.until),
          },
        })
      );
    });
    event.waitUntil(
      Promise.all([shell].concat((data.pages || []).map(keepPage))).then(
        function () {
          if (event.source) {
            event.source.postMessage({ type: "kept", pages: data.pages });
          }
        }
      )
    );
  } else if (data.type === "forget") {
    event.waitUntil(
      Promise.all([caches.delete(PAGES), caches.delete(FILES)])
    );
  }
});
{% endautoescape %}
