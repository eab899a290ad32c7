// The till's service worker: the page and its files stay available offline.
// Sales never go through here: the page keeps them in IndexedDB and sends them itself.
"use strict";
const CACHE = "tadamon-till-v2";
const SHELL = ["/till", "/till/static/printer.js", "/till/static/till.js", "/till/static/till.css", "/till/font.ttf"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== location.origin || url.pathname.startsWith("/api/")) {
    return; // the network, untouched
  }
  if (event.request.mode === "navigate" && url.pathname === "/till") {
    // The page: fresh when the network is there, the kept copy when it is not.
    event.respondWith(
      fetch(event.request)
        .then((response) => {
          if (response.ok && !response.redirected) {
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put("/till", copy));
          }
          return response;
        })
        .catch(() => caches.match("/till")),
    );
    return;
  }
  if (SHELL.includes(url.pathname)) {
    event.respondWith(caches.match(url.pathname).then((hit) => hit || fetch(event.request)));
  }
});
