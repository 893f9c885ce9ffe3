/**
 * The `type` attribute of every item in the table. Writers set it; the stream filters and the
 * fan-out planner select by it, so a rename here reaches all three instead of silently stopping a feed.
 */
export const ENTITY = {
  restaurant: 'Restaurant',
  staff: 'Staff',
  credential: 'Credential',
  diningTable: 'DiningTable',
  tableCode: 'TableCode',
  menuItem: 'MenuItem',
  tableSession: 'TableSession',
  guest: 'Guest',
  cart: 'Cart',
  order: 'Order',
  orderRef: 'OrderRef',
  token: 'Token',
  staffTokenRef: 'StaffTokenRef',
  guestTokenRef: 'GuestTokenRef',
  rejoinCode: 'RejoinCode',
  pinGuard: 'PinGuard',
  device: 'Device',
  joinRequest: 'JoinRequest',
  serviceRequest: 'ServiceRequest',
  openServiceRequest: 'OpenServiceRequest',
  connection: 'Connection',
  tokenConnection: 'TokenConnection',
  socketSlot: 'SocketSlot',
  channelMember: 'ChannelMember',
  auditEntry: 'AuditEntry',
} as const;

export type EntityType = (typeof ENTITY)[keyof typeof ENTITY];
