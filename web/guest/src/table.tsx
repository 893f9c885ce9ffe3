import { useEffect, useRef, useState } from 'preact/hooks';
import type { GuestMessage } from '../../../shared/contract/messages';
import { problemOf, retryAfterOf } from '../../common/api';
import type { Api, AppConfig, Schemas } from '../../common/api';
import { CartView, OrdersView } from './cart';
import { useLocale } from './context';
import { ItemDialog, Menu } from './menu';
import type { Category, Choice, MenuItem } from './menu';
import { connectLive } from '../../common/socket';
import type { Seat } from './store';

type Cart = Schemas['Cart'];
type Order = Schemas['Order'];
type Session = Schemas['GuestSession'];
/** Why the table ended for this phone. */
export type Ending = 'closed' | 'removed';
interface Notice {
  text: string;
  /** An alert interrupts (a problem); a status waits its turn (good news). */
  urgent: boolean;
}

/** While the socket is down the app keeps itself current over HTTP this often. */
const POLL_WHILE_DOWN_MS = 10_000;
/** Attempts of one order placement before the guest is asked to tap again (the key is kept either way). */
const PLACE_ATTEMPTS = 5;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const upsert = (orders: Order[], order: Order) => {
  const rest = orders.filter((known) => known.orderId !== order.orderId);
  return [...rest, order].sort((a, b) => a.placedAt.localeCompare(b.placedAt));
};

/** Whether the element with this id is on screen, even in part (looked up once `ready`). */
function useOnScreen(id: string, ready: boolean): boolean {
  const [onScreen, setOnScreen] = useState(true);
  useEffect(() => {
    const element = ready ? document.getElementById(id) : null;
    if (!element) return;
    const observer = new IntersectionObserver(([entry]) => setOnScreen(entry?.isIntersecting ?? true));
    observer.observe(element);
    return () => observer.disconnect();
  }, [id, ready]);
  return onScreen;
}

/** Brings the cart into view and the screen reader's focus to its heading. */
function showCart() {
  const heading = document.getElementById('cart-heading');
  heading?.scrollIntoView({ block: 'start' });
  heading?.focus({ preventScroll: true });
}

/** The table once the guest is in: menu, cart, orders, the staff, table-mates asking to join; live over the socket and still working over HTTP without it. */
export function Table(props: { api: Api; publicApi: Api; config: AppConfig; seat: Seat; restaurant: Schemas['Restaurant']; onSeat: (seat: Seat) => void; onEnded: (ending: Ending) => void }) {
  const { api, config, restaurant } = props;
  const { t, language, money } = useLocale();
  const seat = useRef(props.seat);
  seat.current = props.seat;
  const [session, setSession] = useState<Session | undefined>();
  const [categories, setCategories] = useState<Category[]>([]);
  // The socket's handler outlives renders: it reads the menu as it is now through this.
  const menu = useRef(categories);
  menu.current = categories;
  const [cart, setCart] = useState<Cart | undefined>();
  const [orders, setOrders] = useState<Order[]>([]);
  const [live, setLive] = useState(false);
  const [notice, setNotice] = useState<Notice | undefined>();
  const [choosing, setChoosing] = useState<MenuItem | undefined>();
  const [joinRequests, setJoinRequests] = useState<{ joinRequestId: string; guestName: string | null }[]>([]);
  const [busy, setBusy] = useState(false);
  const [placing, setPlacing] = useState(false);
  // The page is drawn once menu, cart and orders are in, all at once: nothing jumps under the guest's thumb.
  const [ready, setReady] = useState(false);
  // Two taps within one render see the same state: the ref is what makes the second one a no-op.
  const inFlight = useRef(false);
  // The cart sits below the menu: while it holds something and its "Place order" is off screen, a bar at the foot leads to it.
  const placeOnScreen = useOnScreen('place-order', ready);
  const items = cart?.lines.reduce((sum, line) => sum + line.quantity, 0) ?? 0;

  const tell = (text: string, urgent = true) => setNotice({ text, urgent });
  const saveSeat = (change: Partial<Seat>) => props.onSeat({ ...seat.current, ...change });

  /** A refused token: the session ended (the closed screen), or the token alone went bad (the PIN again, keeping who the guest is). */
  const refused = (body: unknown) => {
    if (problemOf(body)?.code === 'SESSION_CLOSED') props.onEnded('closed');
    else saveSeat({ token: '' });
  };

  const refresh = async () => {
    const [sessionAnswer, cartAnswer, ordersAnswer] = await Promise.all([api.GET('/v1/session'), api.GET('/v1/cart'), api.GET('/v1/orders')]);
    if (sessionAnswer.response.status === 401) return refused(sessionAnswer.error);
    if (sessionAnswer.data) setSession(sessionAnswer.data);
    if (cartAnswer.data) setCart(cartAnswer.data);
    if (ordersAnswer.data) setOrders(ordersAnswer.data.orders);
  };
  const refreshQuietly = () => refresh().catch(() => undefined);

  const loadMenu = async () => {
    const lang = restaurant.languages.includes(language) ? language : undefined;
    const { data } = await props.publicApi.GET('/v1/restaurants/{restaurantId}/menu', { params: { path: { restaurantId: restaurant.restaurantId }, query: lang ? { lang } : {} } });
    if (data) setCategories(data.categories);
  };

  const onMessage = (message: GuestMessage) => {
    switch (message.type) {
      case 'snapshot':
        if ('truncated' in message.data) return void refreshQuietly();
        setSession(message.data.session);
        setCart(message.data.cart);
        setOrders(message.data.orders);
        return;
      case 'cart.updated':
        return 'cart' in message.data ? setCart(message.data.cart) : void refreshQuietly();
      case 'order.placed':
        if ('order' in message.data) {
          const { order } = message.data;
          return setOrders((known) => upsert(known, order));
        }
        return void refreshQuietly();
      case 'order.updated': {
        const update = message.data;
        if ('truncated' in update) return void refreshQuietly();
        return setOrders((known) =>
          known.map((order) =>
            order.orderId !== update.orderId
              ? order
              : { ...order, status: update.status, lines: order.lines.map((line) => ({ ...line, status: update.lines.find((changed) => changed.lineId === line.lineId)?.status ?? line.status })) },
          ),
        );
      }
      case 'menu.item.updated': {
        const { itemId, available } = message.data;
        setCategories((known) => known.map((category) => ({ ...category, items: category.items.map((item) => (item.itemId === itemId ? { ...item, available } : item)) })));
        // A dish new on the menu, or a new 86 (the menu says until when): read the menu again.
        if (!available || !menu.current.some((category) => category.items.some((item) => item.itemId === itemId))) void loadMenu().catch(() => undefined);
        return;
      }
      case 'join.requested': {
        const { joinRequestId, guestName } = message.data;
        return setJoinRequests((known) => [...known.filter((request) => request.joinRequestId !== joinRequestId), { joinRequestId, guestName }]);
      }
      case 'service.acknowledged':
        return tell(t.onTheWay, false);
      case 'guest.removed':
        return message.data.guestId === seat.current.guestId ? props.onEnded('removed') : void refreshQuietly();
      case 'session.closed':
        return props.onEnded('closed');
      default:
        return;
    }
  };

  useEffect(() => {
    const menu = loadMenu().catch(() => undefined);
    const state = refresh().catch(() => undefined);
    void Promise.all([menu, state]).then(() => {
      setReady(true);
      if (seat.current.pendingOrder) void placeOrder();
    });
    return connectLive<GuestMessage>(config.webSocketUrl, props.seat.token, { onMessage, onState: setLive });
  }, [props.seat.token]);

  // Without the socket, HTTP keeps the table current until it is back.
  useEffect(() => {
    if (live) return;
    const poll = setInterval(() => void refreshQuietly(), POLL_WHILE_DOWN_MS);
    return () => clearInterval(poll);
  }, [live, props.seat.token]);

  const add = async (choice: Choice): Promise<boolean> => {
    const { data, error, response } = await api.POST('/v1/cart/lines', { body: choice }).catch(() => ({ data: undefined, error: undefined, response: undefined }));
    if (data) {
      setCart(data);
      setNotice(undefined);
      return true;
    }
    if (response?.status === 401) refused(error);
    tell(problemOf(error)?.message ?? t.offline);
    return false;
  };

  const changeQuantity = async (line: Cart['lines'][number], quantity: number) => {
    setBusy(true);
    const path = { params: { path: { lineId: line.lineId } } };
    const answer = await (quantity === 0 ? api.DELETE('/v1/cart/lines/{lineId}', path) : api.PATCH('/v1/cart/lines/{lineId}', { ...path, body: { quantity } })).catch(() => undefined);
    setBusy(false);
    if (answer?.data) return setCart(answer.data);
    if (answer?.response.status === 401) return refused(answer.error);
    tell(problemOf(answer?.error)?.message ?? t.offline);
    void refreshQuietly();
  };

  /** Dishes or options a refusal names, as the guest knows them from the cart. */
  const namesIn = (details: Record<string, unknown> | undefined) => {
    const itemIds = (details?.itemIds as string[] | undefined) ?? [];
    const optionIds = (details?.optionIds as string[] | undefined) ?? [];
    const lines = cart?.lines ?? [];
    const names = [
      ...lines.filter((line) => itemIds.includes(line.itemId)).map((line) => line.name),
      ...lines.flatMap((line) => line.options.filter((option) => optionIds.includes(option.optionId)).map((option) => `${line.name} (${option.name})`)),
    ];
    return [...new Set(names)].join(', ');
  };

  /**
   * Places the cart with one Idempotency-Key per order, kept (in the seat, so across reloads) until
   * the server has answered for it: a lost answer, a double tap or a reload sends the same key and
   * body again and gets the same order back, never a second one.
   */
  async function placeOrder() {
    const current = seat.current.pendingOrder ?? (cart ? { key: crypto.randomUUID(), cartVersion: cart.version } : undefined);
    if (!current || inFlight.current) return;
    inFlight.current = true;
    setPlacing(true);
    saveSeat({ pendingOrder: current });
    tell(t.placing, false);
    try {
      for (let attempt = 1; ; attempt += 1) {
        const answer = await api
          .POST('/v1/orders', { body: { cartVersion: current.cartVersion }, params: { header: { 'Idempotency-Key': current.key } } })
          .catch(() => undefined); // the network dropped: whether it arrived is unknown, so the same key goes again
        if (answer?.data) {
          const order = answer.data;
          saveSeat({ pendingOrder: undefined });
          setOrders((known) => upsert(known, order));
          tell(t.placed(order.number), false);
          return void refreshQuietly();
        }
        const status = answer?.response.status ?? 0;
        const problem = problemOf(answer?.error);
        const retryable = !answer || status >= 500 || status === 429 || problem?.code === 'IDEMPOTENCY_IN_PROGRESS';
        if (retryable) {
          if (attempt >= PLACE_ATTEMPTS) return tell(t.keptForRetry);
          tell(t.retrying, false);
          await sleep(answer ? retryAfterOf(answer.response, 1) * 1000 : Math.min(8000, 500 * 2 ** attempt));
          continue;
        }
        // The server decided: this key is done with, whatever comes next gets a new one.
        saveSeat({ pendingOrder: undefined });
        if (status === 401) return refused(answer.error);
        await refreshQuietly();
        if (problem?.code === 'CART_CHANGED') return tell(t.cartChanged);
        if (problem?.code === 'CART_EMPTY') return tell(t.cartEmpty);
        if (problem?.code === 'ITEM_UNAVAILABLE' || problem?.code === 'OPTION_UNAVAILABLE') return tell(t.unavailable(namesIn(problem.details)));
        return tell(problem?.message ?? t.failed);
      }
    } finally {
      inFlight.current = false;
      setPlacing(false);
    }
  }

  const ask = async (type: 'CALL_WAITER' | 'REQUEST_BILL') => {
    const answer = await api.POST('/v1/session/requests', { body: { type } }).catch(() => undefined);
    if (answer?.data) return tell(type === 'CALL_WAITER' ? t.called : t.billAsked, false);
    if (answer?.response.status === 401) return refused(answer.error);
    const problem = problemOf(answer?.error);
    tell(problem?.code === 'REQUEST_ALREADY_OPEN' ? t.alreadyAsked : (problem?.message ?? t.offline));
  };

  const answerJoin = async (joinRequestId: string, verdict: 'approve' | 'deny') => {
    setJoinRequests((known) => known.filter((request) => request.joinRequestId !== joinRequestId));
    const path = { params: { path: { joinRequestId } } };
    const answer = await (verdict === 'approve' ? api.POST('/v1/join-requests/{joinRequestId}/approve', path) : api.POST('/v1/join-requests/{joinRequestId}/deny', path)).catch(() => undefined);
    if (answer?.error) tell(problemOf(answer.error)?.message ?? t.failed);
  };

  const nameOf = (guestId: string) =>
    guestId === props.seat.guestId ? t.you : (session?.guests.find((guest) => guest.guestId === guestId)?.guestName ?? t.aGuest);

  if (!ready) return <p role="status">{t.loading}</p>;
  return (
    <>
      <div class="banners">
        {!live && (
          <p role="status">{t.reconnecting}</p>
        )}
        {joinRequests.map((request) => (
          <div key={request.joinRequestId} class="join-request" role="group" aria-label={t.wantsToJoin(request.guestName ?? t.someone)}>
            <p>{t.wantsToJoin(request.guestName ?? t.someone)}</p>
            <button type="button" class="primary" onClick={() => void answerJoin(request.joinRequestId, 'approve')}>
              {t.approve}
            </button>{' '}
            <button type="button" onClick={() => void answerJoin(request.joinRequestId, 'deny')}>
              {t.deny}
            </button>
          </div>
        ))}
        {notice && (notice.urgent ? <p role="alert">{notice.text}</p> : <p role="status">{notice.text}</p>)}
        {items > 0 && !placeOnScreen && (
          <button type="button" class="primary wide" onClick={showCart}>
            {t.viewOrder(items)} · {money(cart?.totalCents ?? 0)}
          </button>
        )}
      </div>
      <Menu categories={categories} onChoose={setChoosing} />
      {choosing && (
        // A dialog's close event comes a task after it closed; by then the guest may have opened another dish, which stays.
        <ItemDialog key={choosing.itemId} item={choosing} onAdd={add} onClose={() => setChoosing((open) => (open === choosing ? undefined : open))} />
      )}
      <CartView
        cart={cart}
        family={(session?.mode ?? 'FAMILY') === 'FAMILY'}
        nameOf={nameOf}
        busy={busy}
        placing={placing}
        onQuantity={(line, quantity) => void changeQuantity(line, quantity)}
        onPlace={() => void placeOrder()}
      />
      <p class="service">
        <button type="button" onClick={() => void ask('CALL_WAITER')}>
          {t.callWaiter}
        </button>
        <button type="button" onClick={() => void ask('REQUEST_BILL')}>
          {t.requestBill}
        </button>
      </p>
      <OrdersView orders={orders} />
    </>
  );
}
