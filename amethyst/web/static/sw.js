// Amethyst's service worker: keeps the app shell so the editor opens offline.
// The shell is fetched from the network first (so a new version shows at once) and served
// from the cache when the network is gone. The API is never cached.

const CACHE = "amethyst-shell-v1";
const SHELL = [
  "./",
  "index.html",
  "styles.css",
  "manifest.webmanifest",
  "fonts/inter-latin-wght-normal.woff2",
  "icons/logo.svg",
  "icons/gem.svg",
  "icons/icon-192.png",
  "icons/icon-512.png",
  "icons/icon-maskable-512.png",
  "icons/apple-touch-icon.png",
  "js/app.js",
  "js/edit-session.js",
  "js/inpaint-request.js",
  "js/mask-layer.js",
  "js/photo-decoding.js",
  "js/photo-intake.js",
  "js/save-file.js",
  "js/shortcuts.js",
  "js/stage-gestures.js",
  "js/stage-view.js",
  "js/view-transform.js",
];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

function isShell(url) {
  const scope = new URL(self.registration.scope);
  if (url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return false;
  const path = url.pathname.slice(scope.pathname.length);
  return !path.startsWith("api/") && path !== "healthz";
}

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(request, { ignoreSearch: true });
    if (cached) return cached;
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || !isShell(url)) return;
  event.respondWith(networkFirst(event.request));
});
