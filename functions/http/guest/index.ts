import { dispatchRoutes } from '../../../shared/http/dispatch';
import { handler as getGuestSession } from './get-guest-session';
import { handler as getCart } from './get-cart';
import { handler as addCartLine } from './add-cart-line';
import { handler as updateCartLine } from './update-cart-line';
import { handler as removeCartLine } from './remove-cart-line';
import { handler as listOrders } from './list-orders';
import { handler as getOrder } from './get-order';
import { handler as requestService } from './request-service';

export const handler = dispatchRoutes('guest', { getGuestSession, getCart, addCartLine, updateCartLine, removeCartLine, listOrders, getOrder, requestService });
