// Accessibility checks with axe-core inside the page under test.
//
// The app's CSP (`script-src 'self'`) refuses inline <script> elements, so
// axe is not injected with addScriptTag: its source is evaluated through the
// DevTools protocol (page.evaluate), which the page's CSP does not govern.
// The production CSP stays as it is.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Impacts that fail a journey. */
const BLOCKING = new Set(['serious', 'critical']);

/**
 * Runs axe on the page once its animations have settled; answers the serious and critical
 * violations as `{id, impact, help, targets}` (each target with axe's reason) (an empty list when clean).
 */
export async function seriousViolations(page) {
  // Colours read mid fade-in (a modal opening) are blends and fail contrast
  // at random: let finite animations finish first.
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity), null, { timeout: 5_000 });
  const loaded = await page.evaluate('typeof window.axe === "object"');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(1).join(' ').trim() ?? ''}`),
    }));
  });
  return violations.filter((v) => BLOCKING.has(v.impact));
}
