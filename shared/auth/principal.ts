import * as z from 'zod';
import { ROLES, SESSION_MODES } from '../core';
import type { Role, SessionMode } from '../core';

/** Who is calling, as established by the authorizer from the bearer token. */
export interface StaffPrincipal {
  kind: 'staff';
  restaurantId: string;
  staffId: string;
  role: Role;
  station: string | null;
  tokenHash: string;
  /** When the token stops working (a socket it opened stops hearing then too). */
  expiresAt: string;
}

export interface GuestPrincipal {
  kind: 'guest';
  restaurantId: string;
  sessionId: string;
  guestId: string;
  /** FAMILY: one cart and all orders shared; INDIVIDUAL: the guest's own. */
  mode: SessionMode;
  tableId: string;
  tokenHash: string;
  /** The session's end, which is also the guest token's. */
  expiresAt: string;
}

export type Principal = StaffPrincipal | GuestPrincipal;

/** What guest-facing reads need of a guest (a REST principal, or a WebSocket connection's record). */
export type GuestRef = Pick<GuestPrincipal, 'restaurantId' | 'sessionId' | 'guestId' | 'mode'>;

/** API Gateway authorizer context values must be strings, numbers or booleans: no null, no nesting. */
export type AuthorizerContext = Record<string, string>;

const ContextSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('staff'),
    restaurantId: z.string().min(1),
    staffId: z.string().min(1),
    role: z.enum(ROLES),
    station: z.string().transform((s) => (s === '' ? null : s)),
    tokenHash: z.string().min(1),
    expiresAt: z.string().min(1),
  }),
  z.object({
    kind: z.literal('guest'),
    restaurantId: z.string().min(1),
    sessionId: z.string().min(1),
    guestId: z.string().min(1),
    mode: z.enum(SESSION_MODES),
    tableId: z.string().min(1),
    tokenHash: z.string().min(1),
    expiresAt: z.string().min(1),
  }),
]);

export function toAuthorizerContext(principal: Principal): AuthorizerContext {
  return principal.kind === 'staff' ? { ...principal, station: principal.station ?? '' } : { ...principal };
}

/** Reads the principal back in a handler; `undefined` when the authorizer did not run. */
export function fromAuthorizerContext(context: unknown): Principal | undefined {
  const parsed = ContextSchema.safeParse(context);
  return parsed.success ? parsed.data : undefined;
}
