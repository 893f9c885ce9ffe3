import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { errorCodesOf, openApiDocument } from '../../shared/http/openapi';
import { restRoutes } from '../../shared/http/routes';
import type { RestRouteName } from '../../shared/http/routes';

/* eslint-disable @typescript-eslint/no-explicit-any -- walking a JSON document */
const doc = openApiDocument() as any;

describe('OpenAPI document', () => {
  it('validates as OpenAPI 3.1', async () => {
    const result = await new Validator().validate(structuredClone(doc));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe('3.1.0');
  });

  it('documents every manifest route, and nothing else, with its success and error responses', () => {
    const documented = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods as object).map((m) => `${m.toUpperCase()} ${path}`));
    expect(documented.sort()).toEqual(Object.values(restRoutes).map((r) => `${r.method} ${r.path}`).sort());

    for (const name of Object.keys(restRoutes) as RestRouteName[]) {
      const route = restRoutes[name];
      const op = doc.paths[route.path][route.method.toLowerCase()];
      expect(op.operationId).toBe(name);
      const statuses = Object.keys(op.responses).map(Number);
      expect(statuses.some((s) => s < 300), name).toBe(true);
      expect(statuses).toContain(500);
      for (const [status, codes] of Object.entries(errorCodesOf(name))) {
        for (const code of codes) expect(op.responses[status].description, `${name} ${status}`).toContain(code);
      }
      const isPublic = (route.allow as readonly string[]).includes('PUBLIC');
      expect(op.security, name).toEqual(isPublic ? [] : [{ bearer: [] }]);
      if (!isPublic) expect(statuses).toEqual(expect.arrayContaining([401, 403]));
    }
  });

  it('carries the request schemas the handlers validate with', () => {
    const body = doc.paths['/v1/restaurants/{restaurantId}/menu/items'].post.requestBody.content['application/json'].schema;
    expect(body.properties.priceCents).toMatchObject({ type: 'integer', minimum: 0, maximum: 1_000_000 });
    expect(body.required).toEqual(expect.arrayContaining(['name', 'category', 'priceCents', 'station']));
    expect(body.additionalProperties).toBe(false);
    const placeOrder = doc.paths['/v1/orders'].post;
    expect(placeOrder.parameters).toContainEqual(expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true }));
    expect(placeOrder.responses['422'].description).toContain('IDEMPOTENCY_KEY_REUSED');
    expect(doc.paths['/v1/sessions/join'].post.responses['429'].description).toContain('PIN_BLOCKED');
  });
});
