// The layout rule of the web app (docs: shared style guide): a feature never
// imports another feature; lib/, components/ and api/ import no feature.
// The page in app/ composes them.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = join(__dirname, '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

const importRe = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  return [...text.matchAll(importRe)].map((m) => m[1] ?? m[2] ?? '');
}

describe('module boundaries', () => {
  it('features do not import other features', () => {
    const offenders: string[] = [];
    for (const path of files(join(src, 'features'))) {
      const own = relative(join(src, 'features'), path).split(sep)[0];
      for (const spec of importsOf(path)) {
        const m = /^@\/features\/([^/]+)/.exec(spec);
        if (m && m[1] !== own) offenders.push(`${relative(src, path)} → ${spec}`);
        if (spec.startsWith('../../') && !spec.startsWith('../../api') && spec.includes('features')) offenders.push(`${relative(src, path)} → ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('lib, components and api do not import features or app', () => {
    const offenders: string[] = [];
    for (const dir of ['lib', 'components', 'api']) {
      let list: string[] = [];
      try {
        list = files(join(src, dir));
      } catch {
        continue;
      }
      for (const path of list) {
        for (const spec of importsOf(path)) {
          if (/^@\/(features|app)\//.test(spec)) offenders.push(`${relative(src, path)} → ${spec}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });
});
