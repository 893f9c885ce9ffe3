import { expect } from 'vitest';
import { assertDocumented } from './contract';

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON from the wire, asserted by each test
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  /** Sent as is (for malformed or oversized bodies). */
  rawBody?: string;
  /** The client's address, as the local runtime started by the tests trusts X-Forwarded-For. */
  ip?: string;
  headers?: Record<string, string>;
}

/** One real HTTP request to the local runtime; its response must be what the served OpenAPI document says. */
export async function call(baseUrl: string, method: string, path: string, options: CallOptions = {}): Promise<ApiResponse> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.ip) headers['x-forwarded-for'] = options.ip;
  Object.assign(headers, options.headers);
  const payload = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (payload !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body: payload });
  const text = await response.text();
  const isJson = response.headers.get('content-type')?.includes('application/json');
  const received = { status: response.status, headers: response.headers, body: text && isJson ? JSON.parse(text) : text || undefined };
  await assertDocumented(baseUrl, method, path, received);
  return received;
}

/** Asserts the contract's error shape, status and code. */
export function expectError(response: ApiResponse, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/application\/json/);
  expect(response.body).toEqual({
    error: { code, message: expect.any(String), requestId: expect.any(String), details: expect.any(Object) },
  });
  expect(response.body.error.requestId.length).toBeGreaterThan(0);
}
