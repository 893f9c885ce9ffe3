import { createConfig, lintFromString } from '@redocly/openapi-core';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { errorCodesOf, openApiDocument } from '../../shared/http/openapi';
import { restRoutes } from '../../shared/http/routes';
import type { RestRoute, RestRouteName } from '../../shared/http/routes';

/* eslint-disable @typescript-eslint/no-explicit-any -- walking a JSON document */
const doc = openApiDocument() as any;

describe('OpenAPI document', () => {
  it('validates as OpenAPI 3.1', async () => {
    const result = await new Validator().validate(structuredClone(doc));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers.map((server: { url: string }) => server.url)).toEqual(expect.arrayContaining(['http://localhost:3000']));
  });

  it("has no errors under Redocly's recommended ruleset", async () => {
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({ source: JSON.stringify(doc), absoluteRef: 'openapi.json', config });
    expect(problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`)).toEqual([]);
  });

  it('types every success body: a named schema or one with properties, never a bare object', () => {
    for (const name of Object.keys(restRoutes) as RestRouteName[]) {
      const route: RestRoute = restRoutes[name];
      const op = doc.paths[route.path][route.method.toLowerCase()];
      for (const [status, response] of Object.entries<any>(op.responses)) {
        if (Number(status) >= 300 || !response.content) continue;
        for (const media of Object.values<any>(response.content)) {
          const schema = media.schema.$ref ? doc.components.schemas[media.schema.$ref.split('/').pop()] : media.schema;
          expect(schema, `${name} ${status}`).toBeDefined();
          expect(schema.type === 'string' || Object.keys(schema.properties ?? {}).length > 0, `${name} ${status}`).toBe(true);
        }
      }
    }
  });

  it('documents every manifest route, and nothing else, with its success and error responses', () => {
    const documented = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods as object).map((m) => `${m.toUpperCase()} ${path}`));
    expect(documented.sort()).toEqual(Object.values(restRoutes).map((r) => `${r.method} ${r.path}`).sort());

    for (const name of Object.keys(restRoutes) as RestRouteName[]) {
      const route: RestRoute = restRoutes[name];
      const op = doc.paths[route.path][route.method.toLowerCase()];
      expect(op.operationId).toBe(name);
      const statuses = Object.keys(op.responses).map(Number);
      expect(statuses.some((s) => s < 300), name).toBe(true);
      expect(statuses).toContain(500);
      for (const [status, codes] of Object.entries(errorCodesOf(route))) {
        for (const code of codes) expect(op.responses[status].description, `${name} ${status}`).toContain(code);
        expect(op.responses[status].content['application/json'].schema.allOf[1].properties.error.properties.code.enum).toEqual(codes);
      }
      expect(statuses, name).toEqual(expect.arrayContaining([413, 429]));
      if (route.request?.body) expect(op.responses['400'].description, name).toContain('BAD_JSON');
      const isPublic = (route.allow as readonly string[]).includes('PUBLIC');
      const pollToken = route.request?.headers?.Authorization?.securityScheme === 'pollToken';
      expect(op.security, name).toEqual(pollToken ? [{ pollToken: [] }] : isPublic ? [] : [{ bearer: [] }]);
      if (!isPublic) expect(statuses).toEqual(expect.arrayContaining([401, 403]));
    }
  });

  it('carries the request schemas the handlers validate with', () => {
    const body = doc.paths['/v1/restaurants/{restaurantId}/menu/items'].post.requestBody.content['application/json'].schema;
    expect(body.properties.priceCents).toMatchObject({ type: 'integer', minimum: 0, maximum: 1_000_000 });
    expect(body.required).toEqual(expect.arrayContaining(['name', 'category', 'priceCents', 'station']));
    expect(body.additionalProperties).toBe(false);
    const placeOrder = doc.paths['/v1/orders'].post;
    expect(placeOrder.parameters).toContainEqual(
      expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,255}$' } }),
    );
    expect(placeOrder.responses['201'].headers).toHaveProperty('Idempotent-Replayed');
    expect(placeOrder.responses['429'].headers).toHaveProperty('Retry-After');
    expect(placeOrder.responses['400'].description).toContain('IDEMPOTENCY_KEY_REQUIRED');
    const orderPath = doc.paths['/v1/orders/{orderId}'].get.parameters[0];
    expect(orderPath).toMatchObject({ name: 'orderId', in: 'path', schema: { pattern: '^[0-9A-Za-z_-]{1,64}$' } });
    const station = doc.paths['/v1/restaurants/{restaurantId}/kitchen/tickets'].get.parameters.find((p: { name: string }) => p.name === 'station');
    expect(station.schema.description).toMatch(/upper case/);
    expect(placeOrder.responses['422'].description).toContain('IDEMPOTENCY_KEY_REUSED');
    expect(doc.paths['/v1/sessions/join'].post.responses['429'].description).toContain('PIN_BLOCKED');
  });
});
