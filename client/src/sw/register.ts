/** Set by client/vite.config.ts: true in a production build that ships sw.js. */
declare const __PARLEY_SW__: boolean | undefined;

/**
 * Registers the app-shell service worker after the page has loaded, so it never competes with
 * the first paint. Not in the Vite dev server (no sw.js there) and not where it is unsupported.
 */
export function registerServiceWorker(): void {
  if (typeof __PARLEY_SW__ === 'undefined' || !__PARLEY_SW__) return;
  if (!('serviceWorker' in navigator)) return;
  const register = () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {
      // Offline start-up is a convenience: the app works without it.
    });
  };
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}
