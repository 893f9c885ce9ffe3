/** A line of an order item as the table stores it; what a test does not say is a plain queued grill dish. */
export function orderLine(fields: Record<string, unknown> & { lineId: string }) {
  return {
    itemId: `I-${fields.lineId}`,
    name: `Dish ${fields.lineId}`,
    quantity: 1,
    unitPriceCents: 1150,
    notes: '',
    station: 'GRILL',
    allergens: [],
    status: 'QUEUED',
    updatedAt: '2030-01-01T19:00:00.000Z',
    ...fields,
  };
}

/** Order O1 of table session S1 (restaurant R1, Table 7) as the table stores it, with these lines. */
export function orderItem(lines: ReturnType<typeof orderLine>[], fields: Record<string, unknown> = {}) {
  return {
    pk: 'SESSION#S1',
    sk: 'ORDER#O1',
    type: 'Order',
    orderId: 'O1',
    sessionId: 'S1',
    restaurantId: 'R1',
    tableId: 'T1',
    tableName: 'Table 7',
    number: 12,
    status: 'PLACED',
    placedAt: '2030-01-01T19:00:00.000Z',
    placedBy: 'alice',
    totalCents: 2300,
    revision: 0,
    lines,
    ...fields,
  };
}
