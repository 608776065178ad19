import { fileURLToPath, URL } from 'node:url';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import { defineConfig } from 'vitest/config';

const apiTarget = process.env.FAMILYROOM_API ?? 'http://127.0.0.1:8080';

function serverProxy() {
  return {
    '/api': { target: apiTarget, ws: true },
    '/files': { target: apiTarget },
    '/images': { target: apiTarget },
    '/healthz': { target: apiTarget },
  };
}

export default defineConfig({
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  plugins: [
    react(),
    VitePWA({
      // Registration happens from src/app/pwa.ts: the CSP forbids inline scripts.
      injectRegister: null,
      registerType: 'autoUpdate',
      includeAssets: ['favicon.svg', 'apple-touch-icon.png'],
      manifest: {
        name: 'Family Room',
        short_name: 'Family Room',
        description: 'Shop together as a family: live likes, votes, a shared cart and secret gifts.',
        theme_color: '#5b3df5',
        background_color: '#fbfaff',
        display: 'standalone',
        start_url: '/',
        scope: '/',
        icons: [
          { src: '/pwa-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/pwa-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        // The app shell only: API answers are live data and stay network-only.
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//, /^\/files\//, /^\/images\//, /^\/healthz/, /^\/readyz/, /^\/metrics/],
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  // The server also serves uploaded files and the demo catalog's pictures.
  server: { proxy: serverProxy() },
  preview: { proxy: serverProxy() },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    sourcemap: false,
    target: 'es2022',
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./vitest.setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
    // The machines are shared 2-core boxes, often compiling Rust at the same
    // time: a user-event test that takes 1 s alone can pass 5 s there.
    testTimeout: 20_000,
  },
});
