import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lambdaFunctions, restRoutes } from '../../shared/http/routes';

const root = new URL('../../', import.meta.url);

describe('route manifest', () => {
  const routes = Object.values(restRoutes);

  it('names function entries that exist, each once', () => {
    const entries = lambdaFunctions.map((fn) => fn.entry);
    expect(new Set(entries).size).toBe(entries.length);
    for (const entry of entries) expect(existsSync(new URL(entry, root)), entry).toBe(true);
  });

  it('has one route per method and path, all versioned under /v1', () => {
    const keys = routes.map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const route of routes) expect(route.path).toMatch(/^\/v1\//);
  });

  it('never mixes PUBLIC with token callers', () => {
    for (const route of routes) {
      const callers = route.allow as readonly string[];
      if (callers.includes('PUBLIC')) expect(callers).toEqual(['PUBLIC']);
    }
  });
});

describe('audit coverage', () => {
  it('makes every state-changing route say whether and how it is audited', () => {
    for (const [name, route] of Object.entries(restRoutes)) {
      if (route.method === 'GET') continue;
      expect('audit' in route, name).toBe(true);
      const audit = 'audit' in route ? route.audit : undefined;
      if (audit !== false) expect(audit, name).toMatch(/^[a-z]+(\.[a-z_]+)?$/);
    }
  });
});
