import type { Schemas } from '../../common/api';

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
