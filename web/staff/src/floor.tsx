import { useEffect, useRef, useState } from 'preact/hooks';
import type { StaffMessage } from '../../../shared/contract/messages';
import { problemOf } from '../../common/api';
import type { Api, AppConfig, Schemas } from '../../common/api';
import { connectLive } from '../../common/socket';
import { checkStillSignedIn } from './auth';
import type { StaffSession } from './auth';
import { SessionPanel } from './session-panel';
import { chime } from './sound';

type Table = Schemas['Table'];
type Request = Schemas['ServiceRequest'];
interface FoodUp {
  orderId: string;
  number: number;
  tableName: string | null;
}
interface JoinRequest {
  joinRequestId: string;
  tableName: string | null;
  guestName: string | null;
}

/**
 * The floor: what needs a waiter now (calling tables, bills asked for, food up, guests waiting to be
 * let in) with a chime, one tap each; and the tables with their sessions: open one and show its PIN
 * big enough to read across the table, a new PIN, fire the next course, close.
 */
export function Floor({ api, config, session, onRefused }: { api: Api; config: AppConfig; session: StaffSession; onRefused: () => void }) {
  const { restaurantId } = session;
  const path = { restaurantId };
  const [tables, setTables] = useState<Table[]>([]);
  const [requests, setRequests] = useState<Request[]>([]);
  const [foodUp, setFoodUp] = useState<FoodUp[]>([]);
  const [joins, setJoins] = useState<JoinRequest[]>([]);
  const [pins, setPins] = useState<Record<string, string>>({});
  const [live, setLive] = useState(false);
  const [message, setMessage] = useState<string | undefined>();
  const [muted, setMuted] = useState(false);
  const [shown, setShown] = useState<string | undefined>();
  const [revision, setRevision] = useState(0);
  const [money, setMoney] = useState<(cents: number) => string>(() => (cents: number) => (cents / 100).toFixed(2));
  const mutedRef = useRef(muted);
  mutedRef.current = muted;
  const ring = () => !mutedRef.current && chime();

  const fail = (error: unknown, response: Response | undefined) => {
    if (response?.status === 401) return onRefused();
    setMessage(problemOf(error)?.message ?? 'No connection to the server.');
  };
  const loadTables = async () => {
    const { data, error, response } = await api.GET('/v1/restaurants/{restaurantId}/tables', { params: { path } });
    return data ? setTables(data.tables) : fail(error, response);
  };

  useEffect(() => {
    void loadTables();
    void api.GET('/v1/restaurants/{restaurantId}', { params: { path } }).then(({ data }) => {
      if (!data) return;
      const format = new Intl.NumberFormat(navigator.language, { style: 'currency', currency: data.currency });
      setMoney(() => (cents: number) => format.format(cents / 100));
    });
    return connectLive<StaffMessage>(config.webSocketUrl, session.token, {
      // The floor hears calling tables and food that is up even from a background tab.
      keepAliveWhileHidden: true,
      onState: (up) => {
        setLive(up);
        if (!up) checkStillSignedIn(api, restaurantId, onRefused);
      },
      onMessage: (message) => {
        if (message.type === 'ticket.created' || message.type === 'ticket.updated') {
          // Something moved in the kitchen or at a table: the open table's bill and courses are read again.
          setRevision((n) => n + 1);
          // Served by another waiter, or recalled by the kitchen: that food is no longer up.
          const ticket = 'ticket' in message.data ? message.data.ticket : undefined;
          if (ticket && ticket.status !== 'READY') setFoodUp((known) => known.filter((f) => f.orderId !== ticket.orderId));
        }
        if (message.type === 'snapshot') {
          // On every (re)connect, a reload included: the food that is up now, though this screen missed its ticket.ready.
          setFoodUp(message.data.tickets.filter((ticket) => ticket.status === 'READY').map(({ orderId, number, tableName }) => ({ orderId, number, tableName })));
          return setRequests((message.data.serviceRequests ?? []).filter((request) => request.status === 'OPEN'));
        }
        if (message.type === 'service.requested') {
          ring();
          const { request } = message.data;
          return setRequests((known) => [...known.filter((r) => r.requestId !== request.requestId), request]);
        }
        if (message.type === 'service.acknowledged') return setRequests((known) => known.filter((r) => r.requestId !== message.data.request.requestId));
        if (message.type === 'ticket.ready') {
          ring();
          const { orderId, number, tableName } = message.data;
          return setFoodUp((known) => [...known.filter((f) => f.orderId !== orderId), { orderId, number, tableName }]);
        }
        if (message.type === 'join.requested') {
          ring();
          const { joinRequestId, tableName, guestName } = message.data;
          return setJoins((known) => [...known, { joinRequestId, tableName, guestName }]);
        }
        if (message.type === 'session.guarded') setMessage(`Wrong PINs at ${message.data.tableName ?? 'a table'}: newcomers there now need your approval. Give the table a new PIN.`);
      },
    });
  }, []);

  const acknowledge = async (request: Request) => {
    const { data, error, response } = await api.POST('/v1/restaurants/{restaurantId}/service-requests/{requestId}/ack', { params: { path: { restaurantId, requestId: request.requestId } } });
    if (!data) return fail(error, response);
    setRequests((known) => known.filter((r) => r.requestId !== request.requestId));
  };
  const served = async (food: FoodUp) => {
    const { data, error, response } = await api.POST('/v1/restaurants/{restaurantId}/kitchen/orders/{orderId}/bump', {
      params: { path: { restaurantId, orderId: food.orderId } },
      body: { to: 'SERVED' },
    });
    if (!data) return fail(error, response);
    setFoodUp((known) => known.filter((f) => f.orderId !== food.orderId));
  };
  const answerJoin = async (join: JoinRequest, verdict: 'approve' | 'deny') => {
    const params = { params: { path: { joinRequestId: join.joinRequestId } } };
    const answer = verdict === 'approve' ? await api.POST('/v1/join-requests/{joinRequestId}/approve', params) : await api.POST('/v1/join-requests/{joinRequestId}/deny', params);
    if (answer.error) fail(answer.error, answer.response);
    setJoins((known) => known.filter((j) => j.joinRequestId !== join.joinRequestId));
  };
  const open = async (table: Table, mode: 'FAMILY' | 'INDIVIDUAL') => {
    const { data, error, response } = await api.POST('/v1/restaurants/{restaurantId}/tables/{tableId}/sessions', { params: { path: { restaurantId, tableId: table.tableId } }, body: { mode } });
    if (!data) {
      // Open already (a colleague's, or this tap's own whose answer was lost): show that session, whose panel gives a new PIN.
      const problem = problemOf(error);
      const openSessionId = problem?.code === 'SESSION_ALREADY_OPEN' ? problem.details?.openSessionId : undefined;
      if (typeof openSessionId === 'string') {
        setShown(openSessionId);
        await loadTables();
      }
      return fail(error, response);
    }
    setPins((known) => ({ ...known, [data.sessionId]: data.pin }));
    setShown(data.sessionId);
    await loadTables();
  };

  return (
    <section aria-label="Floor" class="floor">
      {!live && (
        <p role="alert" class="offline">
          Offline — reconnecting…
        </p>
      )}
      <div class="tools">
        <button type="button" aria-pressed={muted} onClick={() => setMuted(!muted)}>
          {muted ? 'Sound off' : 'Sound on'}
        </button>
      </div>
      {message && <p role="status">{message}</p>}
      <section aria-label="Needs you" class="calls">
        <h2>Needs you</h2>
        {requests.length + foodUp.length + joins.length === 0 && <p>Nothing waiting.</p>}
        <ul>
          {requests.map((request) => (
            <li key={request.requestId}>
              <span>
                {request.tableName}: {request.type === 'CALL_WAITER' ? 'calling' : 'wants the bill'}
                {request.note && ` — “${request.note}”`}
              </span>
              <button type="button" class="primary" onClick={() => void acknowledge(request)} aria-label={`Acknowledge ${request.tableName}`}>
                On my way
              </button>
            </li>
          ))}
          {foodUp.map((food) => (
            <li key={food.orderId}>
              <span>
                Food is up: #{food.number} for {food.tableName}
              </span>
              <button type="button" class="primary" onClick={() => void served(food)} aria-label={`Served #${food.number}`}>
                Served
              </button>
            </li>
          ))}
          {joins.map((join) => (
            <li key={join.joinRequestId}>
              <span>
                {join.guestName ?? 'Someone'} wants to join {join.tableName}
              </span>
              <span>
                <button type="button" class="primary" onClick={() => void answerJoin(join, 'approve')}>
                  Let in
                </button>{' '}
                <button type="button" onClick={() => void answerJoin(join, 'deny')}>
                  Decline
                </button>
              </span>
            </li>
          ))}
        </ul>
      </section>
      <section aria-label="Tables">
        <h2>Tables</h2>
        <ul class="tables">
          {tables.map((table) => (
            <li key={table.tableId} aria-label={table.name}>
              <strong>{table.name}</strong>
              {table.openSessionId ? (
                <>
                  <button type="button" aria-expanded={shown === table.openSessionId} onClick={() => setShown(shown === table.openSessionId ? undefined : (table.openSessionId as string))}>
                    {shown === table.openSessionId ? 'Hide' : 'Show'} {table.name}
                  </button>
                  {shown === table.openSessionId && (
                    <SessionPanel
                      api={api}
                      restaurantId={restaurantId}
                      sessionId={table.openSessionId}
                      pin={pins[table.openSessionId]}
                      freeTables={tables.filter((other) => !other.openSessionId)}
                      revision={revision}
                      money={money}
                      onPin={(pin) => setPins((known) => ({ ...known, [table.openSessionId as string]: pin }))}
                      onChanged={() => void loadTables()}
                      onError={fail}
                    />
                  )}
                </>
              ) : (
                <span class="session">
                  <button type="button" onClick={() => void open(table, 'FAMILY')}>
                    Open (shared)
                  </button>
                  <button type="button" onClick={() => void open(table, 'INDIVIDUAL')}>
                    Open (separate)
                  </button>
                </span>
              )}
            </li>
          ))}
        </ul>
      </section>
    </section>
  );
}
