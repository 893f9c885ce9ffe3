import type { Schemas } from './api';

/** What this phone keeps for a table, so a reload or a lost tab rejoins as the same guest. */
export interface Seat {
  /** Empty once it stopped working: the guest is asked for the PIN and proves who they were with the rest. */
  token: string;
  guestId: string;
  resumeSecret: string;
  sessionId: string;
  /** The order being placed, kept until it is confirmed, so no retry, double tap or reload makes a second one. */
  pendingOrder?: { key: string; cartVersion: number };
}

const keyOf = (tableCode: string) => `seat:${tableCode}`;

export const loadSeat = (tableCode: string): Seat | undefined => {
  const raw = localStorage.getItem(keyOf(tableCode));
  return raw ? (JSON.parse(raw) as Seat) : undefined;
};
export const saveSeat = (tableCode: string, seat: Seat | undefined) =>
  seat ? localStorage.setItem(keyOf(tableCode), JSON.stringify(seat)) : localStorage.removeItem(keyOf(tableCode));

/** The restaurant and table a code names, kept so a returning phone can draw the page before asking again. */
export interface Place {
  restaurant: Schemas['Restaurant'];
  tableName: string;
}
const placeKeyOf = (tableCode: string) => `place:${tableCode}`;
export const loadPlace = (tableCode: string): Place | undefined => {
  const raw = localStorage.getItem(placeKeyOf(tableCode));
  return raw ? (JSON.parse(raw) as Place) : undefined;
};
export const savePlace = (tableCode: string, place: Place | undefined) =>
  place ? localStorage.setItem(placeKeyOf(tableCode), JSON.stringify(place)) : localStorage.removeItem(placeKeyOf(tableCode));
