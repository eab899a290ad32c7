// The till's service worker: the page and its files stay available offline.
// Sales never go through here: the page keeps them in IndexedDB and sends them itself.
// The cache is named after the content of the files it keeps (the server writes their
// digest in below): any change makes a new worker, which takes them afresh, drops the old
// cache and takes over; the page then reloads between two sales.
"use strict";
const CACHE = "tadamon-till-__VERSION__";
// A network that takes the request and never answers: past this, the kept page.
const PAGE_DEADLINE_MS = 3000;
// The page, its modules, its style and its font (the server writes the list in).
const SHELL = __SHELL__;

self.addEventListener("install", (event) => {
  // From the server itself, not the browser's HTTP cache: this version's files.
  const fresh = SHELL.map((path) => new Request(path, { cache: "reload" }));
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(fresh)).then(() => self.skipWaiting()));
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
    // The page: fresh when the network answers in time, else the kept copy.
    event.respondWith(freshOrKept(event.request));
    return;
  }
  if (SHELL.includes(url.pathname)) {
    event.respondWith(caches.match(url.pathname).then((hit) => hit || fetch(event.request)));
  }
});

async function freshOrKept(request) {
  const network = fetch(request).then((response) => {
    if (response.ok && !response.redirected) {
      const copy = response.clone();
      caches.open(CACHE).then((cache) => cache.put("/till", copy));
    }
    return response;
  });
  const kept = await caches.match("/till");
  if (!kept) return network;
  const late = new Promise((resolve) => setTimeout(() => resolve(kept), PAGE_DEADLINE_MS));
  return Promise.race([network.catch(() => kept), late]);
}
