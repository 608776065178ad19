// Registers the service worker that caches the app shell (from a module, as
// the CSP forbids inline scripts). Updates apply on the next full load.
import { registerSW } from 'virtual:pwa-register';

export function registerServiceWorker(): void {
  if (import.meta.env.DEV || !('serviceWorker' in navigator)) return;
  registerSW({
    immediate: true,
    // By default the page reloads when a worker takes over, including the
    // first one installed by an earlier page of this visit ("external"): that
    // wiped a sign-in form being typed. Never reload under the user; the new
    // worker serves the next full load, and a missing chunk meanwhile shows
    // the route error page with its reload button.
    onNeedReload() {},
  });
}
