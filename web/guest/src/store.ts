/** What this phone keeps for a table, so a reload or a lost tab rejoins as the same guest. */
export interface Seat {
  token: string;
  guestId: string;
  resumeSecret: string;
  sessionId: string;
  /** The key of the order being placed, kept until the order is confirmed, so no retry makes a second one. */
  pendingOrderKey?: string;
}

const keyOf = (tableCode: string) => `seat:${tableCode}`;

export const loadSeat = (tableCode: string): Seat | undefined => {
  const raw = localStorage.getItem(keyOf(tableCode));
  return raw ? (JSON.parse(raw) as Seat) : undefined;
};
export const saveSeat = (tableCode: string, seat: Seat | undefined) =>
  seat ? localStorage.setItem(keyOf(tableCode), JSON.stringify(seat)) : localStorage.removeItem(keyOf(tableCode));
