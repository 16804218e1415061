/*
 * Parley's service worker (the build fills in the version and the file list; see
 * client/vite.config.ts). It keeps the app shell — index.html, the hashed scripts and styles,
 * icons and the manifest — so the app opens offline after one visit.
 *
 * It never caches or answers anything else: API calls, the Yjs websocket, socket.io, health
 * and metrics pass straight to the network, as does any request with a query string or an
 * Authorization header. Capability tokens live in the URL fragment, which never reaches it.
 */
const VERSION = self.__PARLEY_VERSION__;
const PRECACHE = self.__PARLEY_PRECACHE__;
const CACHE = `parley-shell-${VERSION}`;
const NEVER = ['/api/', '/yjs/', '/socket.io/', '/metrics', '/healthz', '/readyz'];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE.map((url) => new Request(url, { cache: 'reload' }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('parley-shell-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (NEVER.some((p) => url.pathname.startsWith(p))) return;
  if (url.search || request.headers.has('authorization')) return;
  if (request.mode === 'navigate') {
    // Network first, so a new build shows at once; the cached shell only when offline: the
    // start page for `/`, index.html (the same for every route) for the rest.
    const shell = url.pathname === '/' ? '/' : '/index.html';
    event.respondWith(fetch(request).catch(() => caches.open(CACHE).then((c) => c.match(shell)).then((r) => r ?? Response.error())));
    return;
  }
  if (PRECACHE.includes(url.pathname)) {
    // Hashed, immutable files: the cached copy is the right one.
    event.respondWith(
      caches
        .open(CACHE)
        .then((c) => c.match(url.pathname))
        .then((r) => r ?? fetch(request)),
    );
  }
});
