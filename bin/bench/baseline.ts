import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createHash, randomUUID } from 'node:crypto';
import { localClient } from '../../lib/local/dynamodb-local';
import { keys, menuIndex } from '../../shared/db/keys';
import { dynamoDbUsage } from '../../shared/observability/dynamodb-usage';

/**
 * The DynamoDB calls each measured operation needs, issued directly from this process with a bare
 * SDK client against the same DynamoDB Local: the floor our HTTP figure is compared with. Items are
 * the same shapes and sizes as the project's, in a world of their own (fresh ids), so the raw calls
 * never touch what the load generator measures.
 */
export class RawBaseline {
  private readonly db: DynamoDBDocumentClient;
  private readonly ids = { restaurant: `raw${randomUUID()}`, session: `raw${randomUUID()}`, table: `raw${randomUUID()}`, guest: `raw${randomUUID()}` };
  private readonly tokenHash = createHash('sha256').update(randomUUID()).digest('hex');
  private readonly staffTokenHash = createHash('sha256').update(randomUUID()).digest('hex');
  private readonly tableCode = randomUUID().replaceAll('-', '').slice(0, 24);
  private readonly dishes = Array.from({ length: 3 }, (_, i) => ({
    itemId: `raw${randomUUID()}`,
    name: ['Smash burger', 'Burrata', 'Espresso'][i] as string,
    priceCents: [1650, 990, 290][i] as number,
    station: ['GRILL', 'COLD', 'BAR'][i] as string,
    allergens: [['gluten', 'milk', 'mustard'], ['milk'], []][i] as string[],
  }));
  private cartVersion = 0;
  private lastOrder: { orderId: string; lineIds: string[] } | undefined;

  constructor(endpoint: string, private readonly tableName: string) {
    const client = localClient(endpoint);
    // Like the functions' client locally: it asks for the consumed capacity, so its transactions wait for the same billing reads.
    client.middlewareStack.use(dynamoDbUsage({ askForCapacity: true }));
    this.db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  /** The items the operations read: restaurant, menu, table and its code, an open FAMILY session, its cart, two tokens. */
  async setUp(): Promise<void> {
    const now = new Date().toISOString();
    const expiresAt = new Date(Date.now() + 8 * 3600_000).toISOString();
    const { restaurant, session, table, guest } = this.ids;
    const items: Record<string, unknown>[] = [
      { ...keys.restaurant(restaurant), gsi1pk: menuIndex.pk(restaurant), gsi1sk: menuIndex.profileSk, type: 'Restaurant', restaurantId: restaurant, name: 'Raw Bistro', currency: 'EUR', createdAt: now },
      ...this.dishes.map((dish) => ({
        ...keys.menuItem(restaurant, dish.itemId),
        type: 'MenuItem',
        restaurantId: restaurant,
        ...dish,
        description: 'Two patties, cheddar, pickles',
        category: 'Mains',
        available: true,
        revision: 0,
        createdAt: now,
        updatedAt: now,
      })),
      { ...keys.table(restaurant, table), type: 'Table', restaurantId: restaurant, tableId: table, name: 'Table 1', tableCode: this.tableCode, openSessionId: session, createdAt: now },
      { ...keys.tableCode(this.tableCode), type: 'TableCode', restaurantId: restaurant, tableId: table },
      { ...keys.session(session), type: 'Session', sessionId: session, restaurantId: restaurant, tableId: table, mode: 'FAMILY', status: 'OPEN', pinHash: 'x'.repeat(43), openedAt: now, expiresAt },
      { ...keys.cart(session, 'FAMILY'), type: 'Cart', sessionId: session, owner: 'FAMILY', version: 0, lines: {} },
      { ...keys.token(this.tokenHash), type: 'Token', kind: 'guest', restaurantId: restaurant, sessionId: session, guestId: guest, expiresAt },
      { ...keys.token(this.staffTokenHash), type: 'Token', kind: 'staff', restaurantId: restaurant, staffId: `raw${randomUUID()}`, role: 'KITCHEN', station: null, expiresAt },
    ];
    for (const item of items) await this.db.send(new PutCommand({ TableName: this.tableName, Item: item }));
  }

  private batchGet = (keys: Record<string, string>[]) =>
    this.db.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } }));

  private get = (key: Record<string, string>, consistent = false) =>
    this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: consistent }));

  private audit = () =>
    this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.audit(this.ids.restaurant, new Date().toISOString(), randomUUID()), action: 'order.place', actor: { kind: 'guest', id: this.ids.guest }, status: 201, sourceIp: '10.0.0.1', requestId: randomUUID() },
      }),
    );

  /** The REQUEST authorizer for a guest: the token, then its session (both consistent). */
  async authorizeGuest(): Promise<void> {
    await this.get(keys.token(this.tokenHash), true);
    await this.get(keys.session(this.ids.session), true);
  }

  async authorizeStaff(): Promise<void> {
    await this.get(keys.token(this.staffTokenHash), true);
  }

  /** Join: IP windows (previous, current) and code; restaurant and table; session and source gate; guard slot taken; given back beside token + reference + guest + guest count; audit. */
  async join(): Promise<void> {
    const windowStart = Math.floor(Date.now() / 3600_000) * 3600;
    await this.batchGet([keys.joinFailures('10.9.9.9', windowStart - 3600), keys.joinFailures('10.9.9.9', windowStart), keys.tableCode(this.tableCode)]);
    await this.batchGet([keys.restaurant(this.ids.restaurant), keys.table(this.ids.restaurant, this.ids.table)]);
    await this.batchGet([keys.session(this.ids.session), keys.pinSource(this.ids.session, '10.9.9.9')]);
    const guard = keys.pinGuard(this.ids.session);
    await this.db.send(new UpdateCommand({ TableName: this.tableName, Key: guard, UpdateExpression: 'ADD reserved :one', ExpressionAttributeValues: { ':one': 1 } }));
    const release = this.db.send(new UpdateCommand({ TableName: this.tableName, Key: guard, UpdateExpression: 'ADD reserved :minusOne', ExpressionAttributeValues: { ':minusOne': -1 } }));
    const guestId = `raw${randomUUID()}`;
    const tokenHash = createHash('sha256').update(guestId).digest('hex');
    const admit = this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: this.tableName, Item: { ...keys.token(tokenHash), kind: 'guest', restaurantId: this.ids.restaurant, sessionId: this.ids.session, guestId }, ConditionExpression: 'attribute_not_exists(pk)' } },
          { Put: { TableName: this.tableName, Item: keys.guestToken(this.ids.session, guestId, tokenHash) } },
          { Update: { TableName: this.tableName, Key: keys.session(this.ids.session), UpdateExpression: 'ADD guestCount :one', ConditionExpression: '#status = :open', ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: { ':open': 'OPEN', ':one': 1 } } },
          { Put: { TableName: this.tableName, Item: { ...keys.guest(this.ids.session, guestId), sessionId: this.ids.session, guestId, name: 'Guest', joinedAt: new Date().toISOString() } } },
        ],
      }),
    );
    await Promise.all([release, admit]);
    await this.audit();
  }

  /** Cart add: the authorizer, the dish, one conditional UpdateItem of the cart's line map. */
  async addCartLine(): Promise<void> {
    await this.authorizeGuest();
    const dish = this.dishes[this.cartVersion % this.dishes.length] as (typeof this.dishes)[number];
    await this.get(keys.menuItem(this.ids.restaurant, dish.itemId));
    const lineId = `raw${randomUUID()}`;
    const line = { lineId, itemId: dish.itemId, name: dish.name, quantity: 1, unitPriceCents: dish.priceCents, notes: null, addedBy: this.ids.guest, addedAt: new Date().toISOString(), station: dish.station, allergens: dish.allergens, menuRevision: 0 };
    const { Attributes } = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.cart(this.ids.session, 'FAMILY'),
        UpdateExpression: 'SET #lines.#line = :line ADD #version :one',
        ConditionExpression: 'attribute_exists(pk) AND size(#lines) < :max',
        ExpressionAttributeNames: { '#lines': 'lines', '#line': lineId, '#version': 'version' },
        ExpressionAttributeValues: { ':line': line, ':one': 1, ':max': 100 },
        ReturnValues: 'ALL_NEW',
      }),
    );
    this.cartVersion = Attributes?.version as number;
  }

  /**
   * Placement: the authorizer; idempotency record; session + cart + order + table; ticket number;
   * the transaction (order, reference, cart, session, one check per dish); record completed; audit.
   */
  async placeOrder(): Promise<void> {
    await this.authorizeGuest();
    const { session, restaurant, table } = this.ids;
    const orderId = `raw${randomUUID()}`;
    const idempotencyKey = keys.idempotencyRecord(createHash('sha256').update(orderId).digest('hex'));
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...idempotencyKey, status: 'INPROGRESS', expiration: 0 }, ConditionExpression: 'attribute_not_exists(pk)' }));
    const found = await this.db.send(
      new BatchGetCommand({
        RequestItems: { [this.tableName]: { Keys: [keys.session(session), keys.cart(session, 'FAMILY'), keys.order(session, orderId), keys.table(restaurant, table)], ConsistentRead: true } },
      }),
    );
    const cart = found.Responses?.[this.tableName]?.find((item) => String(item.sk).startsWith('CART#'));
    const lines = Object.values((cart?.lines ?? {}) as Record<string, { itemId: string; lineId: string }>).map((line) => ({ ...line, status: 'QUEUED', updatedAt: new Date().toISOString() }));
    const { Attributes } = await this.db.send(
      new UpdateCommand({ TableName: this.tableName, Key: keys.ticketCounter(restaurant, new Date().toISOString().slice(0, 10)), UpdateExpression: 'ADD lastNumber :one', ExpressionAttributeValues: { ':one': 1 }, ReturnValues: 'UPDATED_NEW' }),
    );
    const order = { ...keys.order(session, orderId), type: 'Order', orderId, sessionId: session, restaurantId: restaurant, tableId: table, tableName: 'Table 1', number: Attributes?.lastNumber, status: 'PLACED', placedAt: new Date().toISOString(), placedBy: this.ids.guest, lines, totalCents: 0, revision: 0 };
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: this.tableName, Item: order, ConditionExpression: 'attribute_not_exists(pk)' } },
          { Put: { TableName: this.tableName, Item: { ...keys.orderRef(orderId), sessionId: session, restaurantId: restaurant }, ConditionExpression: 'attribute_not_exists(pk)' } },
          { Update: { TableName: this.tableName, Key: keys.cart(session, 'FAMILY'), UpdateExpression: 'SET #lines = :empty ADD #version :one', ConditionExpression: '#version = :version', ExpressionAttributeNames: { '#lines': 'lines', '#version': 'version' }, ExpressionAttributeValues: { ':empty': {}, ':one': 1, ':version': cart?.version } } },
          { ConditionCheck: { TableName: this.tableName, Key: keys.session(session), ConditionExpression: '#status = :open', ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: { ':open': 'OPEN' } } },
          ...[...new Set(lines.map((line) => line.itemId))].map((itemId) => ({
            ConditionCheck: { TableName: this.tableName, Key: keys.menuItem(restaurant, itemId), ConditionExpression: 'available = :true AND revision = :zero', ExpressionAttributeValues: { ':true': true, ':zero': 0 } },
          })),
        ],
      }),
    );
    this.cartVersion = (cart?.version as number) + 1;
    this.lastOrder = { orderId, lineIds: lines.map((line) => line.lineId) };
    await this.db.send(new UpdateCommand({ TableName: this.tableName, Key: idempotencyKey, UpdateExpression: 'SET #status = :done, #data = :data', ExpressionAttributeNames: { '#status': 'status', '#data': 'data' }, ExpressionAttributeValues: { ':done': 'COMPLETED', ':data': JSON.stringify(order) } }));
    await this.audit();
  }

  /** Line transition: the authorizer (staff), the order reference, the order, one UpdateItem conditioned on its revision. */
  async moveLine(): Promise<void> {
    await this.authorizeStaff();
    const { orderId } = this.lastOrder as { orderId: string };
    await this.get(keys.orderRef(orderId), true);
    const { Item } = await this.get(keys.order(this.ids.session, orderId), true);
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.order(this.ids.session, orderId),
        UpdateExpression: 'SET #lines[0].#status = :status, #status = :status ADD revision :one',
        ConditionExpression: 'revision = :revision',
        ExpressionAttributeNames: { '#lines': 'lines', '#status': 'status' },
        ExpressionAttributeValues: { ':status': 'IN_PROGRESS', ':one': 1, ':revision': Item?.revision },
      }),
    );
  }

  close(): void {
    this.db.destroy();
  }
}
