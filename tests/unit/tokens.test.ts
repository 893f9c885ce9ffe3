import { describe, expect, it } from 'vitest';
import { fromAuthorizerContext, toAuthorizerContext } from '../../shared/auth/principal';
import type { StaffPrincipal } from '../../shared/auth/principal';
import { bearerToken, generateToken, hashToken } from '../../shared/auth/tokens';

describe('tokens', () => {
  it('are 256 random bits with a kind prefix, and hash deterministically', () => {
    const token = generateToken('st');
    expect(token).toMatch(/^st_[\w-]{43}$/);
    expect(Buffer.from(token.slice(3), 'base64url')).toHaveLength(32);
    expect(generateToken('st')).not.toBe(token);
    expect(hashToken(token)).toBe(hashToken(token));
    expect(hashToken(token)).not.toContain(token.slice(3));
  });

  it('are read from a Bearer Authorization header in any case, and only from there', () => {
    expect(bearerToken({ Authorization: 'Bearer abc' })).toBe('abc');
    expect(bearerToken({ authorization: 'bearer abc ' })).toBe('abc');
    expect(bearerToken({ authorization: 'Basic abc' })).toBeUndefined();
    expect(bearerToken({ authorization: 'Bearer' })).toBeUndefined();
    expect(bearerToken(null)).toBeUndefined();
  });
});

describe('authorizer context', () => {
  it('round-trips a staff principal through string-only context values', () => {
    const principal: StaffPrincipal = {
      kind: 'staff',
      restaurantId: 'r1',
      staffId: 's1',
      role: 'KITCHEN',
      station: null,
      tokenHash: 'h',
      expiresAt: '2030-01-01T00:00:00.000Z',
    };
    const context = toAuthorizerContext(principal);
    expect(Object.values(context).every((value) => typeof value === 'string')).toBe(true);
    expect(fromAuthorizerContext({ ...context, principalId: 's1', integrationLatency: 0 })).toEqual(principal);
    expect(fromAuthorizerContext({ ...context, station: 'GRILL' })).toEqual({ ...principal, station: 'GRILL' });
  });

  it('rejects a missing or malformed context', () => {
    expect(fromAuthorizerContext(undefined)).toBeUndefined();
    expect(fromAuthorizerContext({ kind: 'staff', role: 'CHEF' })).toBeUndefined();
  });
});
