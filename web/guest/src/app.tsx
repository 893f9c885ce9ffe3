import { useEffect, useMemo, useState } from 'preact/hooks';
import { createApi, errorOf } from './api';
import type { Api, AppConfig, Schemas } from './api';
import { connectLive } from './socket';
import { loadSeat, saveSeat } from './store';
import type { Seat } from './store';

type Restaurant = Schemas['Restaurant'];

/** The page a table's QR code opens: join with the PIN, then order. */
export function App({ config, tableCode }: { config: AppConfig; tableCode: string }) {
  const [seat, setSeat] = useState<Seat | undefined>(() => loadSeat(tableCode));
  const api = useMemo(() => createApi(config, () => seat?.token), [config, seat?.token]);
  const [place, setPlace] = useState<{ restaurant: Restaurant; tableName: string } | undefined>();
  const [problem, setProblem] = useState<string | undefined>();

  useEffect(() => {
    if (!tableCode) return setProblem('Scan the QR code on your table to order.');
    void api.GET('/v1/tables/{tableCode}', { params: { path: { tableCode } } }).then(({ data }) =>
      data ? setPlace({ restaurant: data.restaurant, tableName: data.table.name }) : setProblem('This QR code is not in use any more. Ask the staff for help.'),
    );
  }, [tableCode]);

  const seated = (next: Seat | undefined) => {
    saveSeat(tableCode, next);
    setSeat(next);
  };

  if (problem) return <p role="alert">{problem}</p>;
  if (!place) return <p role="status">Loading…</p>;
  return (
    <>
      <h1>
        {place.restaurant.name} · {place.tableName}
      </h1>
      {seat?.token ? (
        <Table api={api} config={config} seat={seat} restaurant={place.restaurant} onSeat={seated} />
      ) : (
        <Join api={api} tableCode={tableCode} previous={seat} onSeat={seated} />
      )}
    </>
  );
}

/** The PIN form. A guest who was here before (a token that stopped working) comes back as themselves: the PIN plus their resume secret. */
function Join({ api, tableCode, previous, onSeat }: { api: Api; tableCode: string; previous: Seat | undefined; onSeat: (seat: Seat) => void }) {
  const [pin, setPin] = useState('');
  const [name, setName] = useState('');
  const [message, setMessage] = useState<string | undefined>();

  const join = async (event: Event) => {
    event.preventDefault();
    const proof = previous ? { guestId: previous.guestId, resumeSecret: previous.resumeSecret } : {};
    const { data, error, response } = await api.POST('/v1/sessions/join', { body: { tableCode, pin, ...proof, ...(name.trim() ? { guestName: name.trim() } : {}) } });
    if (response.status === 201 && data && 'token' in data) return onSeat({ token: data.token, guestId: data.guestId, resumeSecret: data.resumeSecret, sessionId: data.sessionId });
    if (response.status === 202) return setMessage('Waiting for your table to let you in…');
    const problem = errorOf(error);
    const left = problem?.details?.attemptsLeft;
    setMessage(
      problem?.code === 'INVALID_PIN'
        ? `Wrong PIN. ${String(left)} attempts left.`
        : problem?.code === 'NO_OPEN_SESSION'
          ? 'This table is not open yet. Ask your waiter.'
          : response.status === 429
            ? `Too many wrong PINs. Try again in ${response.headers.get('Retry-After') ?? 'a few'} seconds.`
            : (problem?.message ?? 'Something went wrong. Try again.'),
    );
  };

  return (
    <form onSubmit={join}>
      <label>
        PIN
        <input inputMode="numeric" autoComplete="one-time-code" value={pin} onInput={(e) => setPin(e.currentTarget.value)} required />
      </label>
      <label>
        Your name (optional)
        <input value={name} onInput={(e) => setName(e.currentTarget.value)} maxLength={40} />
      </label>
      <button type="submit">Join</button>
      {message && <p role="alert">{message}</p>}
    </form>
  );
}

function Table({ api, config, seat, restaurant, onSeat }: { api: Api; config: AppConfig; seat: Seat; restaurant: Restaurant; onSeat: (seat: Seat | undefined) => void }) {
  const [menu, setMenu] = useState<Schemas['PublicMenuItem'][][]>([]);
  const [categories, setCategories] = useState<string[]>([]);
  const [cart, setCart] = useState<Schemas['Cart'] | undefined>();
  const [orders, setOrders] = useState<Schemas['Order'][]>([]);
  const [live, setLive] = useState(false);
  const [message, setMessage] = useState<string | undefined>();
  const money = useMemo(() => new Intl.NumberFormat(navigator.language, { style: 'currency', currency: restaurant.currency }), [restaurant.currency]);

  const refresh = async () => {
    const [cartAnswer, ordersAnswer] = await Promise.all([api.GET('/v1/cart'), api.GET('/v1/orders')]);
    // The token stopped working (expired, or the session ended): ask for the PIN again, keeping who this guest is.
    if (cartAnswer.response.status === 401) return onSeat({ ...seat, token: '' });
    if (cartAnswer.data) setCart(cartAnswer.data);
    if (ordersAnswer.data) setOrders(ordersAnswer.data.orders);
  };

  useEffect(() => {
    const lang = navigator.language.slice(0, 2).toLowerCase();
    void api.GET('/v1/restaurants/{restaurantId}/menu', { params: { path: { restaurantId: restaurant.restaurantId }, query: { lang } } }).then(({ data }) => {
      setCategories(data?.categories.map((category) => category.name) ?? []);
      setMenu(data?.categories.map((category) => category.items) ?? []);
    });
    void refresh();
    return connectLive(
      config.webSocketUrl,
      seat.token,
      (message) => {
        if (message.type === 'cart.updated') setCart((message.data as { cart: Schemas['Cart'] }).cart);
        else if (message.type === 'snapshot' || message.type.startsWith('order.')) void refresh();
        else if (message.type === 'session.closed') setMessage('This table is closed. Thank you!');
        else if (message.type === 'service.acknowledged') setMessage('Someone is on the way.');
      },
      setLive,
    );
  }, [seat.token]);

  const add = async (item: Schemas['PublicMenuItem']) => {
    const { data, error } = await api.POST('/v1/cart/lines', { body: { itemId: item.itemId, quantity: 1 } });
    if (data) setCart(data);
    else setMessage(errorOf(error)?.message);
  };

  const ask = async (type: 'CALL_WAITER' | 'REQUEST_BILL') => {
    const { data, error } = await api.POST('/v1/session/requests', { body: { type } });
    setMessage(data ? (type === 'CALL_WAITER' ? 'The staff know you are calling.' : 'The staff are bringing the bill.') : errorOf(error)?.message);
  };

  const placeOrder = async () => {
    if (!cart) return;
    // One key per order: kept until it is confirmed, so a lost answer, a double tap or a reload never orders twice.
    const key = seat.pendingOrderKey ?? crypto.randomUUID();
    onSeat({ ...seat, pendingOrderKey: key });
    const { data, error } = await api.POST('/v1/orders', { body: { cartVersion: cart.version }, params: { header: { 'Idempotency-Key': key } } });
    if (data) {
      onSeat({ ...seat, pendingOrderKey: undefined });
      setMessage(`Order ${data.number} is with the kitchen.`);
      return refresh();
    }
    const problem = errorOf(error);
    if (problem?.code === 'CART_CHANGED') {
      onSeat({ ...seat, pendingOrderKey: undefined });
      await refresh();
    }
    setMessage(problem?.message);
  };

  return (
    <>
      {!live && <p role="status">Reconnecting…</p>}
      {message && <p role="alert">{message}</p>}
      {menu.map((items, i) => (
        <section key={categories[i]} aria-label={categories[i]}>
          <h2>{categories[i]}</h2>
          <ul>
            {items.map((item) => (
              <li key={item.itemId}>
                <span>
                  {item.name} · {money.format(item.priceCents / 100)}
                  {item.allergens.length > 0 && <small> ({item.allergens.join(', ')})</small>}
                </span>
                <button
                  type="button"
                  aria-label={`Add ${item.name}`}
                  disabled={!item.available || item.optionGroups.some((group) => group.minSelected > 0)}
                  onClick={() => void add(item)}
                >
                  {item.available ? 'Add' : 'Sold out'}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
      <section aria-label="Your order">
        <h2>Your order</h2>
        <ul>
          {cart?.lines.map((line) => (
            <li key={line.lineId}>
              <span>
                {line.quantity} × {line.name}
              </span>
              <span>{money.format(line.lineTotalCents / 100)}</span>
            </li>
          ))}
        </ul>
        <p class="total">Total {money.format((cart?.totalCents ?? 0) / 100)}</p>
        <button type="button" disabled={!cart?.lines.length} onClick={() => void placeOrder()}>
          Place order
        </button>
      </section>
      <p>
        <button type="button" onClick={() => void ask('CALL_WAITER')}>
          Call waiter
        </button>{' '}
        <button type="button" onClick={() => void ask('REQUEST_BILL')}>
          Request bill
        </button>
      </p>
      <section aria-label="Orders">
        <h2>Orders</h2>
        <ul>
          {orders.map((order) => (
            <li key={order.orderId}>
              <span>Order {order.number}</span>
              <span>{order.status}</span>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
