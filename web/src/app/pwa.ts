// Registers the service worker that caches the app shell (from a module, as
// the CSP forbids inline scripts). Updates apply on the next navigation.
import { registerSW } from 'virtual:pwa-register';

export function registerServiceWorker(): void {
  if (import.meta.env.DEV || !('serviceWorker' in navigator)) return;
  registerSW({ immediate: true });
}
