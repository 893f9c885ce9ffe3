import { dispatchRoutes } from '../../../shared/http/dispatch';
import { handler as placeOrder } from './place-order';

export const handler = dispatchRoutes('orders', { placeOrder });
