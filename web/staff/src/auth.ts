import type { Api, Schemas } from '../../common/api';

/** A signed-in screen: whose it is and its token. */
export interface StaffSession {
  restaurantId: string;
  token: string;
  expiresAt: string;
  staff: { staffId: string; username: string; role: Schemas['StaffMember']['role']; station: string | null };
}

const SESSION_KEY = 'staff-session';
/** A device token per restaurant and username: with it, nobody elsewhere can lock this screen out (API.md, staff device tokens). */
const deviceKey = (restaurantId: string, username: string) => `device:${restaurantId}:${username.toLowerCase()}`;

export const loadSession = (): StaffSession | undefined => {
  const raw = localStorage.getItem(SESSION_KEY);
  const session = raw ? (JSON.parse(raw) as StaffSession) : undefined;
  return session && Date.parse(session.expiresAt) > Date.now() ? session : undefined;
};
export const saveSession = (session: StaffSession | undefined) =>
  session ? localStorage.setItem(SESSION_KEY, JSON.stringify(session)) : localStorage.removeItem(SESSION_KEY);
export const loadDeviceToken = (restaurantId: string, username: string) => localStorage.getItem(deviceKey(restaurantId, username)) ?? undefined;
export const saveDeviceToken = (restaurantId: string, username: string, token: string) => localStorage.setItem(deviceKey(restaurantId, username), token);

/** What each role works with (API.md, Roles). */
export const canCook = (role: StaffSession['staff']['role']) => role === 'KITCHEN' || role === 'OWNER' || role === 'MANAGER';
export const canServe = (role: StaffSession['staff']['role']) => role !== 'KITCHEN';
export const canManage = (role: StaffSession['staff']['role']) => role === 'OWNER' || role === 'MANAGER';

/**
 * After the server closed a screen's socket: was it because the token was revoked? Pages cannot see
 * a failed handshake's 401, so ask over HTTP (any staff may read the restaurant) and sign out on 401.
 */
export const checkStillSignedIn = (api: Api, restaurantId: string, onRefused: () => void) =>
  void api.GET('/v1/restaurants/{restaurantId}', { params: { path: { restaurantId } } }).then(({ response }) => response.status === 401 && onRefused(), () => undefined);
