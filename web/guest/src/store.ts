import type { Schemas } from '../../common/api';

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

/** One kind of thing kept per table code in `localStorage`; `undefined` forgets it. */
function keptPerTable<T>(prefix: string) {
  const keyOf = (tableCode: string) => `${prefix}:${tableCode}`;
  return {
    load: (tableCode: string): T | undefined => {
      const raw = localStorage.getItem(keyOf(tableCode));
      return raw ? (JSON.parse(raw) as T) : undefined;
    },
    save: (tableCode: string, value: T | undefined) => (value ? localStorage.setItem(keyOf(tableCode), JSON.stringify(value)) : localStorage.removeItem(keyOf(tableCode))),
  };
}

const seats = keptPerTable<Seat>('seat');
export const loadSeat = seats.load;
export const saveSeat = seats.save;

/** The restaurant and table a code names, kept so a returning phone can draw the page before asking again. */
export interface Place {
  restaurant: Schemas['Restaurant'];
  tableName: string;
}
const places = keptPerTable<Place>('place');
export const loadPlace = places.load;
export const savePlace = places.save;
