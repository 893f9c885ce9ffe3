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
