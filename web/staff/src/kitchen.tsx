import { useEffect, useRef, useState } from 'preact/hooks';
import type { StaffMessage } from '../../../shared/contract/messages';
import { problemOf } from '../../common/api';
import type { Api, AppConfig, Schemas } from '../../common/api';
import { connectLive } from '../../common/socket';
import { KITCHEN_RESYNC_MS } from '../../../shared/contract/keepalive';
import { checkStillSignedIn } from './auth';
import type { StaffSession } from './auth';
import { beep } from './sound';

type Ticket = Schemas['Ticket'];
type Line = Ticket['lines'][number];

/** Where a tap moves a line. */
const NEXT: Partial<Record<Line['status'], Line['status']>> = { QUEUED: 'IN_PROGRESS', IN_PROGRESS: 'READY' };
const LIVE_LINE = (line: Line) => line.status !== 'SERVED' && line.status !== 'CANCELLED';

const clock = (ms: number) => {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  return `${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
};
const byAge = (a: Ticket, b: Ticket) => a.placedAt.localeCompare(b.placedAt);
type AllDayItem = Schemas['AllDay']['items'][number];
const COUNTED: Partial<Record<Line['status'], 'queued' | 'inProgress' | 'held'>> = { QUEUED: 'queued', IN_PROGRESS: 'inProgress', HELD: 'held' };
/**
 * The all-day counts of the tickets on the screen, counted as `GET …/kitchen/all-day` counts them (a dish
 * with options apart from the plain one). The screen holds every active ticket of its station, so it needs
 * no request per message; the list's key is the dish as the kitchen names it.
 */
function allDayOf(tickets: Ticket[]): AllDayItem[] {
  const counts = new Map<string, AllDayItem>();
  for (const line of tickets.flatMap((ticket) => ticket.lines)) {
    const counted = COUNTED[line.status];
    if (!counted) continue;
    const name = line.options.length ? `${line.name} — ${line.options.map((option) => option.name).join(', ')}` : line.name;
    const entry = counts.get(name) ?? { itemId: name, name, queued: 0, inProgress: 0, held: 0 };
    entry[counted] += line.quantity;
    counts.set(name, entry);
  }
  return [...counts.values()].sort((a, b) => b.queued + b.inProgress - (a.queued + a.inProgress) || a.name.localeCompare(b.name));
}
/** A ticket stays on the screen while any of its lines is still to cook or carry. */
const stillOpen = (ticket: Ticket) => ticket.lines.some((line) => LIVE_LINE(line) && line.status !== 'READY') || ticket.status === 'PLACED';

/**
 * The kitchen display: the station's tickets, oldest first, each line with its options, notes and
 * allergens, held courses greyed; the age of each ticket coloured by its `dueAt`. A tap moves a line,
 * Bump sends the whole ticket to the pass, Recall brings the last one back. It never misses or doubles
 * a ticket: messages are deduplicated by id, every (re)connect and every minute `sync`s, and the
 * offline bar says how old the screen is. Nothing here carries a price: the kitchen's API has none.
 */
export function Kitchen({ api, config, session, onRefused }: { api: Api; config: AppConfig; session: StaffSession; onRefused: () => void }) {
  const { restaurantId } = session;
  const [station, setStation] = useState<string | null>(session.staff.station);
  const [stations, setStations] = useState<string[]>([]);
  const [tickets, setTickets] = useState<Ticket[]>([]);
  // Read from the server only when the last snapshot could not hold every ticket; else counted from the tickets.
  const [fetchedAllDay, setFetchedAllDay] = useState<AllDayItem[] | undefined>();
  const [live, setLive] = useState(false);
  const [lastUpdate, setLastUpdate] = useState(Date.now());
  const [now, setNow] = useState(Date.now());
  const [muted, setMuted] = useState(false);
  const [flash, setFlash] = useState(false);
  const [message, setMessage] = useState<string | undefined>();
  // The last ticket bumped, as the bump left it: Recall puts its ready lines back without asking for the board again.
  const [lastBumped, setLastBumped] = useState<Ticket | undefined>();
  // A ticket is "due soon" this long before its `dueAt`: the restaurant's setting.
  const [dueSoonMs, setDueSoonMs] = useState(2 * 60_000);
  const truncated = useRef(false);
  const mutedRef = useRef(muted);
  mutedRef.current = muted;
  const path = { restaurantId };
  const query = station ? { station } : {};

  const fail = (error: unknown, response: Response | undefined) => {
    if (response?.status === 401) return onRefused();
    setMessage(problemOf(error)?.message ?? 'No connection to the server.');
  };

  const loadAllDay = async () => {
    const answer = await api.GET('/v1/restaurants/{restaurantId}/kitchen/all-day', { params: { path, query } }).catch(() => undefined);
    if (answer?.data) setFetchedAllDay(answer.data.items);
  };
  const allDay = fetchedAllDay ?? allDayOf(tickets);
  const upsert = (ticket: Ticket, created: boolean) => {
    setTickets((known) => {
      const isNew = !known.some((t) => t.orderId === ticket.orderId);
      if (created && isNew && !mutedRef.current) beep();
      if (created && isNew) {
        setFlash(true);
        setTimeout(() => setFlash(false), 1200);
      }
      const rest = known.filter((t) => t.orderId !== ticket.orderId);
      return (stillOpen(ticket) ? [...rest, ticket] : rest).sort(byAge);
    });
  };

  useEffect(() => {
    void api.GET('/v1/restaurants/{restaurantId}', { params: { path } }).then(({ data }) => data && 'dueSoonMinutes' in data && setDueSoonMs(data.dueSoonMinutes * 60_000));
    void api.GET('/v1/restaurants/{restaurantId}/menu', { params: { path } }).then(({ data }) => {
      setStations([...new Set((data?.categories ?? []).flatMap((category) => category.items.map((item) => item.station)))].sort());
    });
  }, []);

  useEffect(() => {
    setTickets([]);
    setFetchedAllDay(undefined);
    const stop = connectLive<StaffMessage>(config.webSocketUrl, session.token, {
      greeting: () => ({ action: 'subscribe', station }),
      resyncMs: KITCHEN_RESYNC_MS,
      keepAliveWhileHidden: true,
      maxBackoffMs: 5000,
      onState: (up) => {
        setLive(up);
        if (!up) checkStillSignedIn(api, restaurantId, onRefused);
      },
      onMessage: (message) => {
        setLastUpdate(Date.now());
        if (message.type === 'snapshot') {
          // The whole truth: what the server has replaces what the screen thought (nothing missed, nothing doubled).
          setTickets(message.data.tickets.filter(stillOpen).sort(byAge));
          truncated.current = message.data.truncated === true;
          if (truncated.current) void loadAllDay();
          else setFetchedAllDay(undefined);
        } else if (message.type === 'ticket.created' || message.type === 'ticket.updated') {
          if ('ticket' in message.data) upsert(message.data.ticket, message.type === 'ticket.created');
          // A screen that does not hold every ticket (or a ticket too big for a message) asks the server.
          if (truncated.current || !('ticket' in message.data)) void loadAllDay();
        }
      },
    });
    return stop;
  }, [station]);

  useEffect(() => {
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(tick);
  }, []);

  const move = async (ticket: Ticket, line: Line) => {
    const to = NEXT[line.status];
    if (!to) return;
    const { data, error, response } = await api.PATCH('/v1/restaurants/{restaurantId}/kitchen/orders/{orderId}/lines/{lineId}', {
      params: { path: { restaurantId, orderId: ticket.orderId, lineId: line.lineId } },
      body: { status: to },
    });
    if (!data) fail(error, response);
  };
  const bump = async (ticket: Ticket) => {
    const { data, error, response } = await api.POST('/v1/restaurants/{restaurantId}/kitchen/orders/{orderId}/bump', {
      params: { path: { restaurantId, orderId: ticket.orderId } },
      body: { to: 'READY', ...(station ? { station } : {}) },
    });
    if (!data) return fail(error, response);
    setLastBumped(data);
    upsert(data, false);
  };
  const recall = async () => {
    if (!lastBumped) return;
    // A bumped ticket has left the screen: its ready lines go back to the pan (READY → IN_PROGRESS).
    for (const line of lastBumped.lines.filter((l) => l.status === 'READY')) {
      const { error, response } = await api.PATCH('/v1/restaurants/{restaurantId}/kitchen/orders/{orderId}/lines/{lineId}', {
        params: { path: { restaurantId, orderId: lastBumped.orderId, lineId: line.lineId } },
        body: { status: 'IN_PROGRESS' },
      });
      if (error) return fail(error, response);
    }
    setLastBumped(undefined);
  };

  return (
    <section class={`kitchen${flash ? ' flash' : ''}`} aria-label="Kitchen display">
      {!live && (
        <p role="alert" class="offline">
          Offline — last update {clock(now - lastUpdate)} ago
        </p>
      )}
      <div class="tools">
        <label>
          Station{' '}
          <select value={station ?? ''} onChange={(e) => setStation(e.currentTarget.value || null)}>
            <option value="">All stations</option>
            {[...new Set([...stations, ...(station ? [station] : [])])].map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <button type="button" aria-pressed={muted} onClick={() => setMuted(!muted)}>
          {muted ? 'Sound off' : 'Sound on'}
        </button>
        <button type="button" disabled={!lastBumped} onClick={() => void recall()}>
          Recall last bumped
        </button>
      </div>
      {message && <p role="alert">{message}</p>}
      <div class="board">
        <ol class="tickets" aria-label="Tickets">
          {tickets.map((ticket) => {
            const due = ticket.dueAt ? Date.parse(ticket.dueAt) - now : undefined;
            // Without a prep time (item or restaurant default) a ticket has no due time: it only counts up.
            const timing = due === undefined ? 'untimed' : due < 0 ? 'late' : due < dueSoonMs ? 'soon' : 'on-time';
            return (
              <li key={ticket.orderId} class={`ticket ${timing}`} aria-label={`Ticket ${ticket.number}, ${ticket.tableName}`}>
                <header>
                  <strong>#{ticket.number}</strong> <span>{ticket.tableName}</span>{' '}
                  <time class="age" aria-label={`age ${clock(now - Date.parse(ticket.placedAt))}, ${timing.replace('-', ' ')}`}>
                    {clock(now - Date.parse(ticket.placedAt))}
                  </time>
                </header>
                <ul>
                  {ticket.lines.filter(LIVE_LINE).map((line) => (
                    <li key={line.lineId} class={`line ${line.status}`}>
                      <button type="button" disabled={!NEXT[line.status]} onClick={() => void move(ticket, line)}>
                        <span class="what">
                          {line.quantity} × {line.name}
                        </span>
                        {line.options.length > 0 && <span class="options">{line.options.map((option) => option.name).join(', ')}</span>}
                        {line.notes && <span class="notes">“{line.notes}”</span>}
                        {line.allergens.length > 0 && <span class="allergens">⚠ {line.allergens.join(', ')}</span>}
                        <span class="state">{line.status === 'HELD' ? `held · course ${line.course}` : line.status.replace('_', ' ').toLowerCase()}</span>
                      </button>
                    </li>
                  ))}
                </ul>
                <button type="button" class="primary bump" onClick={() => void bump(ticket)}>
                  Bump #{ticket.number}
                </button>
              </li>
            );
          })}
        </ol>
        <aside aria-label="All day">
          <h2>All day</h2>
          <ul>
            {allDay.map((item) => (
              <li key={item.itemId}>
                <span>{item.name}</span>{' '}
                <strong>{item.queued + item.inProgress}</strong>
                {item.held > 0 && <span class="held"> +{item.held} held</span>}
              </li>
            ))}
          </ul>
        </aside>
      </div>
    </section>
  );
}
