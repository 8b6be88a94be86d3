import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The contractor app's service worker, as the browser runs it. It keeps the app shell (the /app
 * page, the built assets, manifest and icons) in a versioned cache so the app starts offline,
 * and it never answers /api/ requests from a cache: offers, slots and jobs are only ever live.
 * Pages under /app are fetched from the network first; the cached shell is the offline fallback.
 */
const WORKER = String.raw`'use strict';
const SHELL = __SHELL__;
const CACHE = __CACHE__;
self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});
self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('handy-app-shell-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});
self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  // Live data (offers, slots, jobs, the offer stream): always the network, never stored.
  if (url.pathname.startsWith('/api/')) return;
  if (req.mode === 'navigate') {
    event.respondWith(fetch(req).catch(() => caches.open(CACHE).then((c) => c.match('/app')).then((hit) => hit || Response.error())));
    return;
  }
  if (SHELL.includes(url.pathname)) {
    event.respondWith(caches.open(CACHE).then((c) => c.match(url.pathname)).then((hit) => hit || fetch(req)));
  }
});
`;

/** What the shell is: the page, every built asset (hashed names, so a new build is a new cache) and the app's public files. */
export function appShellFiles(buildDir: string): string[] {
  const list = (dir: string) => (existsSync(path.join(buildDir, dir)) ? readdirSync(path.join(buildDir, dir)).sort() : []);
  const assets = list('assets')
    .filter((f) => !f.endsWith('.map'))
    .map((f) => `/assets/${f}`);
  const pub = list('app').map((f) => `/app/${f}`);
  return ['/app', '/favicon.svg', ...pub, ...assets];
}

export function serviceWorkerSource(buildDir: string): string {
  const shell = appShellFiles(buildDir);
  const version = createHash('sha256')
    .update(readFileSync(path.join(buildDir, 'index.html')))
    .update(shell.join('\n'))
    .digest('hex')
    .slice(0, 16);
  return WORKER.replace('__SHELL__', JSON.stringify(shell)).replace('__CACHE__', JSON.stringify(`handy-app-shell-${version}`));
}
