import { describe, expect, it } from 'vitest';
import { SPA_ROUTING_FUNCTION, contentSecurityPolicy } from '../../lib/web-security-headers';

/** The CloudFront Function's code, run as CloudFront runs it: one event in, the request out. */
const route = new Function(`${SPA_ROUTING_FUNCTION}; return handler;`)() as (event: { request: { uri: string } }) => { uri: string };

describe('the web apps at the edge', () => {
  it('answers each app\'s pages with its own shell and leaves files alone', () => {
    expect(route({ request: { uri: '/t' } }).uri).toBe('/index.html');
    expect(route({ request: { uri: '/' } }).uri).toBe('/index.html');
    expect(route({ request: { uri: '/some/page/' } }).uri).toBe('/index.html');
    expect(route({ request: { uri: '/assets/index-Bx1.js' } }).uri).toBe('/assets/index-Bx1.js');
    expect(route({ request: { uri: '/config.json' } }).uri).toBe('/config.json');
    expect(route({ request: { uri: '/staff' } }).uri).toBe('/staff/index.html');
    expect(route({ request: { uri: '/staff/kitchen' } }).uri).toBe('/staff/index.html');
    expect(route({ request: { uri: '/staff/assets/index-C2.js' } }).uri).toBe('/staff/assets/index-C2.js');
    expect(route({ request: { uri: '/staffroom' } }).uri).toBe('/index.html');
  });

  it('allows no inline script or style and no framing, and connects only where it is told', () => {
    const policy = contentSecurityPolicy(['https://api.example', 'wss://ws.example']);
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).not.toContain('unsafe-eval');
    expect(policy).toContain("connect-src 'self' https://api.example wss://ws.example");
    expect(policy).toContain("frame-ancestors 'none'");
  });
});
