import { it } from 'vitest';
import { lambdaContext } from '../../lib/local/lambda-context';
import { addLine } from '../../shared/cart/cart';
import { createOrderPlacer } from '../../shared/orders/place-order';
import { diningTable, newKey } from '../support/dining';
import { measureDynamoDb } from '../../shared/observability/dynamodb-usage';

it('prints placement WRU', async () => {
  const { guest, burger, fries } = await diningTable();
  const ada = await guest('Ada');
  await addLine(ada, { itemId: burger.itemId, quantity: 1, options: [] } as never, new Date());
  const cart = await addLine(ada, { itemId: fries.itemId, quantity: 2, options: [] } as never, new Date());
  process.env.WRU_DEBUG = '1';
  const place = createOrderPlacer();
  const key = newKey();
  await measureDynamoDb(() => place(ada, { idempotencyKey: key, cartVersion: cart.version }, lambdaContext('p', 'r1')), (u) => console.log('FIRST', u.writeUnits, u.readUnits));
  await measureDynamoDb(() => place(ada, { idempotencyKey: key, cartVersion: cart.version }, lambdaContext('p', 'r2')), (u) => console.log('REPLAY', u.writeUnits, u.readUnits));
});
