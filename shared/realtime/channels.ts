import type { Principal } from '../auth/principal';

/** Channels a connection can be in; each is one DynamoDB partition of membership items. */
export const channels = {
  /** A session's guests (INDIVIDUAL guests get only their own cart and order events, filtered per member). */
  session: (sessionId: string) => `session#${sessionId}`,
  /** Every guest connected at a restaurant: menu availability changes. */
  guests: (restaurantId: string) => `guests#${restaurantId}`,
  /** A restaurant's staff screens: kitchen tickets, filtered per member by station. */
  kitchen: (restaurantId: string) => `kitchen#${restaurantId}`,
  /** A restaurant's floor staff (OWNER, MANAGER, WAITER): tables that need someone. */
  floor: (restaurantId: string) => `floor#${restaurantId}`,
} as const;

const FLOOR_ROLES: readonly string[] = ['OWNER', 'MANAGER', 'WAITER'];

export function channelsOf(principal: Principal): string[] {
  if (principal.kind === 'guest') return [channels.session(principal.sessionId), channels.guests(principal.restaurantId)];
  const floor = FLOOR_ROLES.includes(principal.role) ? [channels.floor(principal.restaurantId)] : [];
  return [channels.kitchen(principal.restaurantId), ...floor];
}
