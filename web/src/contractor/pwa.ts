/**
 * Installs the contractor app's service worker (served by the API server at /app/sw.js with
 * scope /app): it keeps the app shell for offline starts and never stores API answers.
 */
export function registerServiceWorker() {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
  navigator.serviceWorker.register('/app/sw.js', { scope: '/app' }).catch(() => {
    // No offline shell then; the app works the same online.
  });
}
