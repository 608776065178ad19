// Web performance figures for docs/benchmarks.md, run by hand (not in CI):
//
//   FAMILYROOM_E2E_URL=http://127.0.0.1:PORT node e2e/perf.mjs [--loads 7] [--likes 20]
//
// Against a running server with the demo catalog. Measures, with the browser's
// own Performance API in Debian's Chromium:
//  - first and largest contentful paint of the room page, each load in a
//    fresh context (cold HTTP cache, no service worker yet), signed in;
//  - JavaScript the page fetched for that first load (bytes on the wire, and
//    the compressed bodies), not counting the service worker's precache,
//    which it fetches after the page is up;
//  - time from a like clicked in one browser context to its render in another
//    member's feed, over distinct products.
// Both contexts live in one browser on one machine, so their
// `performance.timeOrigin + performance.now()` clocks are comparable.
import { launchBrowser, serverUrl } from './harness.mjs';

const base = serverUrl();
if (!base) {
  console.error('set FAMILYROOM_E2E_URL to a running server');
  process.exit(2);
}
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const LOADS = arg('loads', 7);
const LIKES = arg('likes', 20);
const PASSWORD = 'correct horse battery staple';

async function call(path, body, token) {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

const stamp = Date.now().toString(36);
async function register(name) {
  const email = `${name.toLowerCase()}.perf.${stamp}@example.com`;
  await call('/api/v1/auth/register', { name, email, password: PASSWORD });
  return email;
}

/** A context signed in as `email`: a fresh login per context, since refresh tokens rotate. */
async function signedInContext(browser, email, viewport = { width: 1280, height: 800 }) {
  const { refresh_token } = await call('/api/v1/auth/login', { email, password: PASSWORD });
  const context = await browser.newContext({ baseURL: base, viewport });
  // An init script goes in through the DevTools protocol: the page's CSP does not apply.
  await context.addInitScript((token) => {
    if (!localStorage.getItem('familyroom.refresh_token')) localStorage.setItem('familyroom.refresh_token', token);
  }, refresh_token);
  return context;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const round = (x) => Math.round(x * 10) / 10;

const launched = await launchBrowser();
try {
  const { browser } = launched;
  const ashaEmail = await register('Asha');
  const raviEmail = await register('Ravi');
  const ashaToken = (await call('/api/v1/auth/login', { email: ashaEmail, password: PASSWORD })).access_token;
  const raviToken = (await call('/api/v1/auth/login', { email: raviEmail, password: PASSWORD })).access_token;
  const room = await call('/api/v1/rooms', { name: 'Perf room', visibility: 'private' }, ashaToken);
  await call('/api/v1/rooms/join', { invite_code: room.invite_code }, raviToken);
  const roomPath = `/rooms/${room.id}`;

  // ---- cold loads: FCP, LCP, JavaScript ----------------------------------
  const loads = [];
  for (let i = 0; i < LOADS; i += 1) {
    const context = await signedInContext(browser, ashaEmail);
    const page = await context.newPage();
    await page.goto(roomPath);
    await page.locator('.product-card img').first().waitFor({ timeout: 30_000 });
    // Every image above the fold has loaded, so LCP has its final candidate.
    await page.waitForFunction(() => [...document.querySelectorAll('.product-card img')].slice(0, 8).every((img) => img.complete), null, { timeout: 30_000 });
    const figures = await page.evaluate(
      () =>
        new Promise((resolve) => {
          const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null;
          new PerformanceObserver((list) => {
            const entries = list.getEntries();
            const lcp = entries[entries.length - 1];
            const scripts = performance
              .getEntriesByType('resource')
              .filter((e) => e.initiatorType === 'script' || /\.m?js(\?|$)/.test(new URL(e.name).pathname));
            const nav = performance.getEntriesByType('navigation')[0];
            resolve({
              fcp,
              lcp: lcp?.startTime ?? null,
              lcpElement: lcp?.element ? `${lcp.element.tagName.toLowerCase()}.${lcp.element.className}` : null,
              jsFiles: scripts.length,
              jsTransfer: scripts.reduce((n, e) => n + e.transferSize, 0),
              jsEncoded: scripts.reduce((n, e) => n + e.encodedBodySize, 0),
              jsDecoded: scripts.reduce((n, e) => n + e.decodedBodySize, 0),
              htmlTransfer: nav?.transferSize ?? 0,
            });
          }).observe({ type: 'largest-contentful-paint', buffered: true });
        }),
    );
    loads.push(figures);
    await context.close();
  }

  // ---- like latency across two members -----------------------------------
  const ashaContext = await signedInContext(browser, ashaEmail);
  const raviContext = await signedInContext(browser, raviEmail);
  const asha = await ashaContext.newPage();
  const ravi = await raviContext.newPage();
  await ravi.goto(roomPath);
  await asha.goto(roomPath);
  await ravi.locator('.room-side .feed-list, .room-side .empty-state').first().waitFor({ timeout: 30_000 });
  await asha.locator('.product-card-hit').nth(LIKES - 1).waitFor({ timeout: 30_000 });
  // Ravi's page notes when the text of the newest feed entry changes
  // ("Asha liked", "Asha liked 2 items", …).
  await ravi.evaluate(() => {
    window.__feedChanges = [];
    let previous = null;
    const side = document.querySelector('.room-side');
    const check = () => {
      const items = side.querySelectorAll('.feed-item .feed-body > p');
      const text = items.length ? items[items.length - 1].textContent : null;
      if (text !== previous) {
        previous = text;
        window.__feedChanges.push({ at: performance.timeOrigin + performance.now(), text });
      }
    };
    check();
    new MutationObserver(check).observe(side, { childList: true, subtree: true, characterData: true });
  });
  // Asha's page notes when a Like button is pressed (capture phase, before React).
  await asha.evaluate(() => {
    window.__likeClicks = [];
    document.addEventListener(
      'click',
      (event) => {
        const button = event.target instanceof Element ? event.target.closest('button') : null;
        if (button && /Like/.test(button.textContent ?? '')) window.__likeClicks.push(performance.timeOrigin + performance.now());
      },
      true,
    );
  });
  const latencies = [];
  for (let i = 0; i < LIKES; i += 1) {
    await asha.locator('.product-card-hit').nth(i).click();
    const like = asha.getByRole('dialog').getByRole('button', { name: /Like/ });
    await like.waitFor();
    const seen = await ravi.evaluate(() => window.__feedChanges.length);
    await like.click();
    const clickedAt = await asha.evaluate(() => window.__likeClicks[window.__likeClicks.length - 1]);
    const handle = await ravi.waitForFunction(
      ([n]) => window.__feedChanges.slice(n).find((c) => c.text && c.text.includes('liked')) ?? null,
      [seen],
      { timeout: 10_000 },
    );
    const change = await handle.jsonValue();
    latencies.push(change.at - clickedAt);
    await asha.getByRole('dialog').getByRole('button', { name: /Liked/ }).waitFor();
    await asha.keyboard.press('Escape');
  }
  await ashaContext.close();
  await raviContext.close();

  const pick = (key) => loads.map((l) => l[key]).filter((x) => typeof x === 'number');
  const report = {
    server: base,
    date: new Date().toISOString(),
    loads: LOADS,
    fcp_ms: { median: round(median(pick('fcp'))), min: round(Math.min(...pick('fcp'))), max: round(Math.max(...pick('fcp'))) },
    lcp_ms: { median: round(median(pick('lcp'))), min: round(Math.min(...pick('lcp'))), max: round(Math.max(...pick('lcp'))) },
    lcp_element: loads[loads.length - 1]?.lcpElement,
    js_first_load: {
      files: loads[0]?.jsFiles,
      transferred_kB: round(median(pick('jsTransfer')) / 1000),
      compressed_bodies_kB: round(median(pick('jsEncoded')) / 1000),
      uncompressed_kB: round(median(pick('jsDecoded')) / 1000),
    },
    like_to_render_ms: {
      likes: latencies.length,
      median: round(median(latencies)),
      p95: round(percentile(latencies, 95)),
      min: round(Math.min(...latencies)),
      max: round(Math.max(...latencies)),
    },
  };
  console.log(JSON.stringify(report, null, 2));
} finally {
  await launched.close();
}
