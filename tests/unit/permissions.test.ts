import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '../../shared/errors';
import { assertMayChangeMenuItem, assertMayManageStaff, assertMayMoveLine } from '../../shared/auth/permissions';
import { ROLES } from '../../shared/core';
import type { Role } from '../../shared/core';
import { LINE_STATUSES } from '../../shared/contract/fields';

const actor = (role: Role) => ({ role, staffId: `${role.toLowerCase()}-1` });
const refused = (check: () => void) => {
  try {
    check();
    return false;
  } catch (error) {
    if (error instanceof ForbiddenError) return true;
    throw error;
  }
};

describe('who may manage staff accounts', () => {
  it.each([
    ['OWNER', 'OWNER', false],
    ['OWNER', 'MANAGER', false],
    ['MANAGER', 'OWNER', true],
    ['MANAGER', 'MANAGER', false],
    ['MANAGER', 'KITCHEN', false],
    ['MANAGER', 'WAITER', false],
  ] as const)('%s creating or deleting a %s account: refused %s', (by, target, expected) => {
    expect(refused(() => assertMayManageStaff(actor(by), { role: target }, 'create'))).toBe(expected);
    expect(refused(() => assertMayManageStaff(actor(by), { role: target, staffId: 'someone-else' }, 'delete'))).toBe(expected);
  });

  it('refuses deleting your own account, even to an owner', () => {
    for (const role of ['OWNER', 'MANAGER'] as const) {
      expect(refused(() => assertMayManageStaff(actor(role), { role, staffId: actor(role).staffId }, 'delete')), role).toBe(true);
      expect(refused(() => assertMayManageStaff(actor(role), { role }, 'create')), role).toBe(false);
    }
  });
});

describe('who may change a menu item', () => {
  it('lets the kitchen change `available` only', () => {
    expect(refused(() => assertMayChangeMenuItem(actor('KITCHEN'), ['available']))).toBe(false);
    for (const field of ['name', 'description', 'category', 'priceCents', 'station', 'allergens']) {
      expect(refused(() => assertMayChangeMenuItem(actor('KITCHEN'), [field])), field).toBe(true);
      expect(refused(() => assertMayChangeMenuItem(actor('KITCHEN'), ['available', field])), `available + ${field}`).toBe(true);
    }
  });

  it('lets owners and managers change every field', () => {
    for (const role of ['OWNER', 'MANAGER'] as const) {
      expect(refused(() => assertMayChangeMenuItem(actor(role), ['name', 'priceCents', 'available', 'station']))).toBe(false);
    }
  });
});

describe('who may move an order line', () => {
  it('lets waiters mark lines SERVED and nothing else; the other roles any status', () => {
    for (const role of ROLES) {
      for (const to of LINE_STATUSES) {
        expect(refused(() => assertMayMoveLine(actor(role), to)), `${role} → ${to}`).toBe(role === 'WAITER' && to !== 'SERVED');
      }
    }
  });
});
