// Keeps the app shell usable without a network once it has been opened (a venue's Wi-Fi drops).
// Pages and built assets: network first, cached copy when offline. The API is never cached here:
// the judge's page keeps its own queue of marks in IndexedDB.
const CACHE = 'sc-shell-v1';

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(['/', '/manifest.webmanifest'])).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== location.origin) return;
  if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/docs')) return;
  const isPage = event.request.mode === 'navigate';
  event.respondWith(
    fetch(event.request)
      .then((res) => {
        if (res.ok) {
          const copy = res.clone();
          caches.open(CACHE).then((c) => c.put(isPage ? '/' : event.request, copy));
        }
        return res;
      })
      .catch(() => caches.match(isPage ? '/' : event.request).then((hit) => hit || Response.error())),
  );
});
