/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />

// Keeps Stemma working offline: the whole built app is cached on install, and every page route
// falls back to the app shell, which then renders the route in the browser.
import { base, build, files, prerendered, version } from '$service-worker';

const sw = self as unknown as ServiceWorkerGlobalScope;

// Only caches with this prefix belong to the service worker; others the app may open for its
// own use must survive an update.
const cachePrefix = 'stemma-offline-';
const cacheName = `${cachePrefix}${version}`;

// adapter-static writes the SPA fallback page; in `vite dev` there is no build and no shell.
const shell = `${base}/200.html`;
const shellEntries = build.length > 0 ? [shell] : [];

const precached = new Set([...build, ...files, ...prerendered, ...shellEntries]);

sw.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(cacheName);
      await cache.addAll([...precached]);

      // Users would otherwise keep running the previous build until every tab is closed.
      await sw.skipWaiting();
    })(),
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      const stale = names.filter((name) => name.startsWith(cachePrefix) && name !== cacheName);
      await Promise.all(stale.map((name) => caches.delete(name)));

      // Take over pages opened before this worker existed, so the first visit is offline-ready.
      await sw.clients.claim();
    })(),
  );
});

sw.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== sw.location.origin) return;
  if (request.headers.has('range')) return;

  if (request.mode === 'navigate') {
    event.respondWith(navigate(request));
  } else if (precached.has(url.pathname)) {
    event.respondWith(cacheFirst(request));
  } else {
    event.respondWith(networkThenCache(event));
  }
});

/** Pages come from the network when it answers, so a new build shows at once. */
async function navigate(request: Request): Promise<Response> {
  try {
    return await fetch(request);
  } catch (error) {
    const cache = await caches.open(cacheName);
    const page = (await cache.match(request)) ?? (await cache.match(shell));
    if (page) return page;
    throw error;
  }
}

/** Built files are named by content hash (or versioned with the cache), so a hit is current. */
async function cacheFirst(request: Request): Promise<Response> {
  const cache = await caches.open(cacheName);
  return (await cache.match(request)) ?? fetch(request);
}

/** Anything else the app fetches from its own origin stays available once seen. */
async function networkThenCache(event: FetchEvent): Promise<Response> {
  const cache = await caches.open(cacheName);
  try {
    const response = await fetch(event.request);
    if (response.status === 200 && response.type === 'basic') {
      // A full cache must not fail a request that the network answered.
      event.waitUntil(cache.put(event.request, response.clone()).catch(() => undefined));
    }
    return response;
  } catch (error) {
    const cached = await cache.match(event.request);
    if (cached) return cached;
    throw error;
  }
}
