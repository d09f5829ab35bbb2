// Keeps the app shell usable without a network once it has been opened (a venue's Wi-Fi drops).
// Pages and built assets: network first, but a cached copy answers when the network fails or is
// slower than NETWORK_TIMEOUT_MS (bad Wi-Fi hangs rather than fails). The API is never cached
// here: the judge's page keeps its own queue of marks in IndexedDB.
const CACHE = 'sc-shell-v2';
const NETWORK_TIMEOUT_MS = 3000;

// The start, sign-in and judge pages' files (listed by the build: offline-pages.json) are kept at
// install, so they open without network even before they were visited. A list that cannot be
// fetched (a development server) leaves just the shell.
self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((c) =>
        c.addAll(['/', '/manifest.webmanifest']).then(() =>
          fetch('/offline-pages.json')
            .then((res) => (res.ok ? res.json() : []))
            .then((files) => c.addAll(files))
            .catch(() => undefined),
        ),
      )
      .then(() => self.skipWaiting()),
  );
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
  const key = isPage ? '/' : event.request;
  const network = fetch(event.request).then((res) => {
    if (res.ok) {
      const copy = res.clone();
      caches.open(CACHE).then((c) => c.put(key, copy));
    }
    return res;
  });
  const cached = () => caches.match(key);
  event.respondWith(
    new Promise((resolve) => {
      let settled = false;
      const finish = (res) => {
        if (!settled && res) {
          settled = true;
          resolve(res);
        }
      };
      const timer = setTimeout(() => cached().then(finish), NETWORK_TIMEOUT_MS);
      network
        .then((res) => {
          clearTimeout(timer);
          finish(res);
        })
        .catch(() => {
          clearTimeout(timer);
          cached().then((hit) => finish(hit || Response.error()));
        });
    }),
  );
});
