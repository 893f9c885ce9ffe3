/**
 * Typed key builders: the only place that knows how keys are spelled. Every item lives in one
 * table under generic `pk`/`sk` names; the README's access-pattern table lists who reads what.
 */
export interface Key {
  pk: string;
  sk: string;
}

const restaurantPk = (restaurantId: string) => `RESTAURANT#${restaurantId}`;

export const keys = {
  /** The restaurant's profile. */
  restaurant: (restaurantId: string): Key => ({ pk: restaurantPk(restaurantId), sk: 'PROFILE' }),

  /** A staff member (no secrets on this item). Listed with {@link keyPrefixes.staff}. */
  staff: (restaurantId: string, staffId: string): Key => ({ pk: restaurantPk(restaurantId), sk: `STAFF#${staffId}` }),

  /** Login credentials by username: the password hash lives here only, never on the staff item. */
  credential: (restaurantId: string, username: string): Key => ({
    pk: restaurantPk(restaurantId),
    sk: `CREDENTIAL#${username}`,
  }),

  /** Failed-login counter and lockout for one username. */
  loginAttempts: (restaurantId: string, username: string): Key => ({
    pk: restaurantPk(restaurantId),
    sk: `LOGIN_ATTEMPTS#${username}`,
  }),

  /** A bearer token, found by the SHA-256 of its value (the value itself is never stored). */
  token: (tokenHash: string): Key => ({ pk: `TOKEN#${tokenHash}`, sk: 'TOKEN' }),

  /** Back-reference from a staff member to one of their tokens, so deleting the person revokes them all. */
  staffToken: (restaurantId: string, staffId: string, tokenHash: string): Key => ({
    pk: restaurantPk(restaurantId),
    sk: `STAFF_TOKEN#${staffId}#${tokenHash}`,
  }),
} as const;

/** Sort-key prefixes for Query with begins_with inside a restaurant's partition. */
export const keyPrefixes = {
  restaurantPk,
  staff: 'STAFF#',
  staffTokens: (staffId: string) => `STAFF_TOKEN#${staffId}#`,
} as const;
