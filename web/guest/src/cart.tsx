import type { Schemas } from '../../common/api';
import { useLocale } from './context';

type Cart = Schemas['Cart'];
type Line = Cart['lines'][number];

/** A line as the guest chose it: how many of what, its options and notes (as the kitchen will read them), and `extra` below. */
function LineSummary({ line, extra }: { line: Pick<Line, 'quantity' | 'name' | 'options' | 'notes'>; extra?: string }) {
  return (
    <span class="line">
      <span>
        {line.quantity} × {line.name}
      </span>
      {(line.options.length > 0 || line.notes) && (
        <span class="details">
          {line.options.map((option) => option.name).join(', ')}
          {line.notes && <em> “{line.notes}”</em>}
        </span>
      )}
      {extra && <span class="who">{extra}</span>}
    </span>
  );
}

/**
 * The cart: in a FAMILY session the table's, with who added each line; in INDIVIDUAL the guest's
 * own. Quantities change and lines go with one tap; the total is the server's.
 */
export function CartView(props: {
  cart: Cart | undefined;
  family: boolean;
  nameOf: (guestId: string) => string;
  busy: boolean;
  placing: boolean;
  onQuantity: (line: Line, quantity: number) => void;
  onPlace: () => void;
}) {
  const { t, money } = useLocale();
  const { cart, family } = props;
  const lines = cart?.lines ?? [];
  return (
    <section aria-labelledby="cart-heading" class="cart">
      <h2 id="cart-heading" tabIndex={-1}>
        {family ? t.tableOrder : t.yourOrder}
      </h2>
      {lines.length === 0 && <p>{t.emptyCart}</p>}
      <ul>
        {lines.map((line) => (
          <li key={line.lineId}>
            <LineSummary line={line} extra={family ? t.addedBy(props.nameOf(line.addedBy)) : undefined} />
            <span class="line-actions">
              <span class="price">{money(line.lineTotalCents)}</span>
              <button type="button" aria-label={t.fewer(line.name)} disabled={props.busy} onClick={() => props.onQuantity(line, line.quantity - 1)}>
                −
              </button>
              <button type="button" aria-label={t.more(line.name)} disabled={props.busy || line.quantity >= 50} onClick={() => props.onQuantity(line, line.quantity + 1)}>
                +
              </button>
              <button type="button" aria-label={t.remove(line.name)} disabled={props.busy} onClick={() => props.onQuantity(line, 0)}>
                ×
              </button>
            </span>
          </li>
        ))}
      </ul>
      <p class="total">
        {t.total} {money(cart?.totalCents ?? 0)}
      </p>
      <button type="button" id="place-order" class="primary wide" disabled={lines.length === 0 || props.placing} onClick={props.onPlace}>
        {t.placeOrder}
      </button>
    </section>
  );
}

/** The orders so far, each line with where it is: queued, preparing, ready, served, or later for a held course. */
export function OrdersView({ orders }: { orders: Schemas['Order'][] }) {
  const { t, money } = useLocale();
  if (orders.length === 0) return null;
  return (
    <section aria-label={t.orders}>
      <h2>{t.orders}</h2>
      {orders.map((order) => (
        <article key={order.orderId} aria-label={t.order(order.number)} class="order">
          <h3>
            <span>{t.order(order.number)}</span> <span class={`status ${order.status}`}>{t.status[order.status] ?? order.status}</span>
          </h3>
          <ul>
            {order.lines.map((line) => (
              <li key={line.lineId}>
                <LineSummary line={line} />
                <span class={`status ${line.status}`}>{t.status[line.status] ?? line.status}</span>
              </li>
            ))}
          </ul>
          <p class="total">
            {t.total} {money(order.totalCents)}
          </p>
        </article>
      ))}
    </section>
  );
}
