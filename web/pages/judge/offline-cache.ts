/**
 * Makes sure the tablet can reopen the judge's page with no network after its first visit.
 *
 * The shell's service worker (web/public/sw.js) caches what is fetched through it, network first.
 * On the very first visit the page's scripts were fetched before the worker took control, so
 * they are not in its cache and a reload without network would find no app. Once the worker is
 * active, this puts every built asset the page has loaded (the shell, this page's chunks, the
 * stylesheet) into the worker's cache, which the worker then serves when offline.
 * Resolves true once a reload without network would find the page, so the tablet can say so:
 * a judge should not walk into a dead Wi-Fi zone before it does.
 */
export async function keepPageForOffline(): Promise<boolean> {
  if (!('serviceWorker' in navigator) || !('caches' in window)) return false;
  await navigator.serviceWorker.ready;
  // The worker's cache is versioned (sc-shell-v1, …); it deletes old versions itself.
  const name = (await caches.keys()).find((k) => k.startsWith('sc-shell-'));
  if (!name) return false;
  const cache = await caches.open(name);
  const assets = performance
    .getEntriesByType('resource')
    .map((e) => new URL(e.name))
    .filter((u) => u.origin === location.origin && u.pathname.startsWith('/assets/'))
    .map((u) => u.href);
  await Promise.all(
    [...new Set(assets)].map(async (url) => {
      if (!(await cache.match(url))) await cache.add(url);
    }),
  );
  // The page itself was cached by the worker's install; with the assets it now reopens offline.
  return (await cache.match('/')) !== undefined;
}
