import { useEffect, useState } from 'preact/hooks';
import type { Api, Schemas } from '../../common/api';

type Detail = NonNullable<Awaited<ReturnType<typeof readSession>>['data']>;
const readSession = (api: Api, restaurantId: string, sessionId: string) =>
  api.GET('/v1/restaurants/{restaurantId}/sessions/{sessionId}', { params: { path: { restaurantId, sessionId } } });

/**
 * One open table as the waiter handles it: the PIN big enough to read across the table, the guests
 * (remove one, or give one a rejoin code), the bill per guest with every line and its options, the
 * next held course to fire, moving to a free table, closing.
 */
export function SessionPanel(props: {
  api: Api;
  restaurantId: string;
  sessionId: string;
  pin: string | undefined;
  freeTables: Schemas['Table'][];
  /** Bumped by the floor when the kitchen or the table changed something: read the session again. */
  revision: number;
  money: (cents: number) => string;
  onPin: (pin: string) => void;
  onChanged: () => void;
  onError: (error: unknown, response: Response | undefined) => void;
}) {
  const { api, restaurantId, sessionId } = props;
  const path = { restaurantId, sessionId };
  const [detail, setDetail] = useState<Detail | undefined>();
  const [codes, setCodes] = useState<Record<string, string>>({});
  const [moveTo, setMoveTo] = useState('');

  const load = async () => {
    const { data, error, response } = await readSession(api, restaurantId, sessionId);
    return data ? setDetail(data) : props.onError(error, response);
  };
  useEffect(() => void load(), [sessionId, props.revision]);

  const act = async (answer: Promise<{ error?: unknown; response: Response }>, then?: () => void) => {
    const { error, response } = await answer;
    if (error) return props.onError(error, response);
    then?.();
    await load();
  };
  const newPin = async () => {
    const { data, error, response } = await api.POST('/v1/restaurants/{restaurantId}/sessions/{sessionId}/pin', { params: { path } });
    return data ? props.onPin(data.pin) : props.onError(error, response);
  };
  const rejoinCode = async (guestId: string) => {
    const { data, error, response } = await api.POST('/v1/restaurants/{restaurantId}/sessions/{sessionId}/guests/{guestId}/rejoin-code', { params: { path: { ...path, guestId } } });
    return data ? setCodes((known) => ({ ...known, [guestId]: data.rejoinCode })) : props.onError(error, response);
  };

  if (!detail) return <p role="status">Loading…</p>;
  const held = detail.orders.flatMap((order) => order.lines).filter((line) => line.status === 'HELD');
  const nextCourse = held.length > 0 ? Math.min(...held.map((line) => line.course)) : undefined;

  return (
    <div class="panel">
      <p class="pin-line">
        {props.pin ? (
          <span class="pin" aria-label={`PIN ${props.pin}`}>
            {props.pin}
          </span>
        ) : (
          <span>PIN hidden</span>
        )}{' '}
        <button type="button" onClick={() => void newPin()}>
          New PIN
        </button>{' '}
        <span class="muted">{detail.mode === 'FAMILY' ? 'shared cart' : 'separate carts'}</span>
      </p>
      <h3>Guests</h3>
      <ul>
        {detail.guests.map((guest) => (
          <li key={guest.guestId}>
            <span>{guest.guestName ?? 'Guest'}</span>
            <span>
              {codes[guest.guestId] && <strong class="code">{codes[guest.guestId]}</strong>}{' '}
              <button type="button" onClick={() => void rejoinCode(guest.guestId)}>
                Rejoin code for {guest.guestName ?? 'guest'}
              </button>{' '}
              <button
                type="button"
                onClick={() =>
                  confirm(`Remove ${guest.guestName ?? 'this guest'} from the table? Their phone is signed out at once; their orders stay on the bill.`) &&
                  void act(api.DELETE('/v1/restaurants/{restaurantId}/sessions/{sessionId}/guests/{guestId}', { params: { path: { ...path, guestId: guest.guestId } } }))
                }
              >
                Remove {guest.guestName ?? 'guest'}
              </button>
            </span>
          </li>
        ))}
      </ul>
      <h3>Bill {props.money(detail.bill.totalCents)}</h3>
      <ul aria-label="Bill">
        {detail.bill.byGuest.map((guest) => (
          <li key={guest.guestId} class="bill-guest">
            <span>
              <strong>{guest.guestName ?? 'Guest'}</strong>
              <ul>
                {detail.orders
                  .filter((order) => order.placedBy === guest.guestId)
                  .flatMap((order) => order.lines)
                  .filter((line) => line.status !== 'CANCELLED')
                  .map((line) => (
                    <li key={line.lineId}>
                      {line.quantity} × {line.name}
                      {line.options.length > 0 && ` (${line.options.map((option) => option.name).join(', ')})`} · {props.money(line.unitPriceCents * line.quantity)}
                    </li>
                  ))}
              </ul>
            </span>
            <span>{props.money(guest.totalCents)}</span>
          </li>
        ))}
      </ul>
      <p class="actions">
        {nextCourse !== undefined && (
          <button
            type="button"
            class="primary"
            onClick={() =>
              void act(api.POST('/v1/restaurants/{restaurantId}/sessions/{sessionId}/fire', { params: { path }, body: { course: nextCourse } }))
            }
          >
            Fire course {nextCourse}
          </button>
        )}
        <label>
          Move to{' '}
          <select value={moveTo} onChange={(e) => setMoveTo(e.currentTarget.value)}>
            <option value="">a free table…</option>
            {props.freeTables.map((table) => (
              <option key={table.tableId} value={table.tableId}>
                {table.name}
              </option>
            ))}
          </select>
        </label>{' '}
        <button
          type="button"
          disabled={!moveTo}
          onClick={() => void act(api.POST('/v1/restaurants/{restaurantId}/sessions/{sessionId}/move', { params: { path }, body: { tableId: moveTo } }), props.onChanged)}
        >
          Move
        </button>{' '}
        <button type="button" onClick={() => void act(api.POST('/v1/restaurants/{restaurantId}/sessions/{sessionId}/close', { params: { path } }), props.onChanged)}>
          Close table
        </button>
      </p>
    </div>
  );
}
