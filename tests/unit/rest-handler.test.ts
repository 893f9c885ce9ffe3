import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { ConflictError, TooManyRequestsError } from '../../shared/errors';
import { MAX_BODY_BYTES, restHandler } from '../../shared/http/rest-handler';
import type { RestRoute } from '../../shared/http/routes';
import { lambdaContext } from '../../lib/local/lambda-context';

const managersOnly = {
  method: 'POST',
  path: '/v1/restaurants/{restaurantId}/things',
  fn: 'staff',
  allow: ['OWNER', 'MANAGER'],
  summary: 'test route',
  request: { body: z.object({ name: z.string().min(1) }) },
  responses: { 201: z.object({ name: z.string(), by: z.string(), sourceIp: z.string() }) },
} as const satisfies RestRoute;

const staffContext = (role: string, restaurantId = 'r1') => ({
  kind: 'staff',
  restaurantId,
  staffId: 's1',
  role,
  station: '',
  tokenHash: 'h',
  expiresAt: '2030-01-01T00:00:00.000Z',
  principalId: 's1',
});

function event(overrides: { body?: string | null; authorizer?: unknown; restaurantId?: string } = {}): APIGatewayProxyEvent {
  return {
    resource: managersOnly.path,
    path: '/v1/restaurants/r1/things',
    httpMethod: 'POST',
    headers: {},
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: { restaurantId: overrides.restaurantId ?? 'r1' },
    stageVariables: null,
    body: overrides.body === undefined ? '{"name":"x"}' : overrides.body,
    isBase64Encoded: false,
    requestContext: {
      requestId: 'req-1',
      identity: { sourceIp: '203.0.113.9' },
      authorizer: overrides.authorizer === undefined ? staffContext('MANAGER') : overrides.authorizer,
    } as unknown as APIGatewayProxyEvent['requestContext'],
  };
}

const handler = restHandler(managersOnly, async ({ body, principal, sourceIp }) => {
  if (body.name === 'conflict') throw new ConflictError('THING_EXISTS', 'It exists.', { thing: 1 });
  if (body.name === 'slow-down') throw new TooManyRequestsError('RATE_LIMITED', 'Slow down.', 12.2);
  if (body.name === 'crash') throw new Error('ddb://secret-internal-detail');
  return { status: 201, body: { name: body.name, by: principal.staffId, sourceIp } };
});

const invoke = async (e: APIGatewayProxyEvent) => {
  const result = await handler(e, lambdaContext('test', 'aws-req-1') as Context);
  return { ...result, json: result.body ? JSON.parse(result.body) : undefined };
};

describe('restHandler', () => {
  it('passes validated input and the principal to the domain, with the request id header', async () => {
    const result = await invoke(event());
    expect(result.statusCode).toBe(201);
    expect(result.json).toEqual({ name: 'x', by: 's1', sourceIp: '203.0.113.9' });
    expect(result.headers).toMatchObject({ 'X-Request-Id': 'req-1', 'Content-Type': 'application/json' });
  });

  it.each([
    ['bad JSON', event({ body: '{"name":' }), 400, 'BAD_JSON'],
    ['a zod failure', event({ body: '{"name":""}' }), 400, 'VALIDATION_FAILED'],
    ['an oversized body', event({ body: JSON.stringify({ name: 'x'.repeat(MAX_BODY_BYTES) }) }), 413, 'PAYLOAD_TOO_LARGE'],
    ['a role the route does not allow', event({ authorizer: staffContext('WAITER') }), 403, 'FORBIDDEN'],
    ["another restaurant's id", event({ restaurantId: 'r2' }), 404, 'NOT_FOUND'],
    ['no authorizer context', event({ authorizer: null }), 401, 'UNAUTHENTICATED'],
    ['a domain conflict', event({ body: '{"name":"conflict"}' }), 409, 'THING_EXISTS'],
  ])('maps %s to the contract error', async (_, e, status, code) => {
    const result = await invoke(e);
    expect(result.statusCode).toBe(status);
    expect(result.json).toEqual({ error: { code, message: expect.any(String), requestId: 'req-1', details: expect.any(Object) } });
  });

  it('lists each invalid field in details.issues', async () => {
    const result = await invoke(event({ body: '{"name":""}' }));
    expect(result.json.error.details.issues).toEqual([{ path: 'body.name', message: expect.any(String) }]);
  });

  it('sends Retry-After with every 429', async () => {
    const result = await invoke(event({ body: '{"name":"slow-down"}' }));
    expect(result.statusCode).toBe(429);
    expect(result.headers?.['Retry-After']).toBe('13');
    expect(result.json.error.details).toEqual({ retryAfterSeconds: 13 });
  });

  it('turns an unexpected error into 500 INTERNAL without leaking it', async () => {
    const result = await invoke(event({ body: '{"name":"crash"}' }));
    expect(result.statusCode).toBe(500);
    expect(result.json.error.code).toBe('INTERNAL');
    expect(result.body).not.toContain('secret-internal-detail');
    expect(result.body).not.toMatch(/stack|Error:/);
  });
});
