// Helpers for end-to-end journeys: Debian's Chromium driven by playwright-core
// against a real Family Room server (no mocks). Never downloads a browser.
import { mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));

export const CHROMIUM_PATH = process.env.FAMILYROOM_CHROMIUM ?? '/usr/bin/chromium';

// Without the background-networking flags Chromium keeps dialling out, and this
// machine's closed network refuses it many times a second.
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The server under test, from FAMILYROOM_E2E_URL, without a trailing slash; null when unset. */
export function serverUrl() {
  const url = process.env.FAMILYROOM_E2E_URL;
  return url ? url.replace(/\/+$/, '') : null;
}

/**
 * Launches Chromium with a fresh profile folder. Returns {browser, close};
 * close() also removes the profile.
 */
export async function launchBrowser() {
  const userDataDir = await mkdtemp(join(tmpdir(), 'familyroom-e2e-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  // The persistent context is only the launcher's: each family member gets a
  // separate, isolated context from the browser.
  const browser = context.browser();
  return {
    browser,
    launcherContext: context,
    async close() {
      await context.close().catch(() => {});
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A new isolated context (own cookies and storage) for one family member.
 * Collects console errors and failed requests for the journey to assert on.
 */
export async function newMember(browser, baseURL, { name, viewport = { width: 1280, height: 800 } } = {}) {
  const context = await browser.newContext({ baseURL, viewport });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('requestfailed', (req) => problems.push(`requestfailed: ${req.method()} ${req.url()} ${req.failure()?.errorText ?? ''}`));
  return { name, context, page, problems };
}

let counter = 0;
/** A unique email for this run, so journeys can run again against the same server. */
export function uniqueEmail(name) {
  counter += 1;
  return `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}.${Date.now().toString(36)}.${counter}@example.com`;
}

/**
 * Waits until the SPA's location satisfies `test` (a path string or a predicate
 * on the pathname). Client-side navigations fire no load event, so
 * page.waitForURL is the wrong tool for them.
 */
export async function waitForPath(page, test, timeout = 15_000) {
  const matches = typeof test === 'string' ? (path) => path === test : test;
  await waitForUrl(page, (url) => matches(url.pathname), timeout);
}

/**
 * Polls the page's URL from the test side until `predicate(url)` holds.
 * Nothing is evaluated inside the page, so the app's strict CSP (no eval)
 * stays on during the journeys.
 */
export async function waitForUrl(page, predicate, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  while (!predicate(new URL(page.url()))) {
    if (Date.now() > deadline) {
      // Say what the page shows, so a failure in CI explains itself.
      const alerts = await page.getByRole('alert').allTextContents().catch(() => []);
      const dialogs = await page.getByRole('dialog').count().catch(() => 0);
      const fields = await page
        .locator('input')
        .evaluateAll((inputs) => inputs.map((i) => `${i.name || i.type}=${i.type === 'password' ? `(${i.value.length} chars)` : i.value}`))
        .catch(() => []);
      const fieldErrors = await page.locator('.field-error').allTextContents().catch(() => []);
      throw new Error(
        `timed out waiting for the URL; it is ${page.url()}; alerts: ${JSON.stringify(alerts)}; open dialogs: ${dialogs}; ` +
          `inputs: ${JSON.stringify(fields)}; field errors: ${JSON.stringify(fieldErrors)}`,
      );
    }
    await page.waitForTimeout(50);
  }
}

/**
 * Waits until the app's service worker controls the page. A context's first
 * page installs it; if it were still installing when a later page of the
 * journey loads, it would activate under that page mid-journey.
 */
export async function serviceWorkerInControl(page, timeout = 20_000) {
  await page.waitForFunction(() => !('serviceWorker' in navigator) || navigator.serviceWorker.controller !== null, null, {
    timeout,
  });
}

/** Signs up through the UI and waits for the rooms page. Returns the credentials used. */
export async function signUp(member, { name = member.name ?? 'Asha', email = uniqueEmail(name), password = 'correct horse battery staple' } = {}) {
  const { page } = member;
  await page.goto('/sign-up');
  await serviceWorkerInControl(page);
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await waitForPath(page, (p) => p.startsWith('/rooms') || p.startsWith('/join'));
  return { name, email, password };
}

/** Signs in through the UI. */
export async function signIn(member, { email, password }) {
  const { page } = member;
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await waitForPath(page, (p) => !p.startsWith('/sign-in'));
}

let pathsCache = null;
/** The operation paths the server's OpenAPI document lists (cached per run). */
export async function serverPaths(base) {
  if (!pathsCache) {
    const response = await fetch(`${base}/api/openapi.json`);
    const doc = response.ok ? await response.json() : { paths: {} };
    pathsCache = new Set(Object.keys(doc.paths ?? {}));
  }
  return pathsCache;
}

/**
 * Skips the calling test (and answers false) unless the server documents every
 * path in `needed`; journeys run as soon as the server grows the routes.
 */
export async function needs(t, base, needed) {
  const have = await serverPaths(base);
  const missing = needed.filter((p) => !have.has(p));
  if (missing.length) {
    t.skip(`server does not serve ${missing.join(', ')} yet`);
    return false;
  }
  return true;
}

/**
 * Saves a full-page PNG under e2e/artifacts/ and returns its path. Running
 * CSS animations are finished first, so that a drawer caught sliding in is
 * shown where it ends, not half transparent over the page.
 */
export async function screenshot(member, label) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const safe = `${member.name ?? 'page'}-${label}`.toLowerCase().replace(/[^a-z0-9.-]+/g, '-');
  const path = join(ARTIFACTS, `${safe}.png`);
  await member.page.screenshot({ path, fullPage: true, animations: 'disabled' });
  return path;
}
