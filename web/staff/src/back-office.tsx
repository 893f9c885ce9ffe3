import { useEffect, useState } from 'preact/hooks';
import { problemOf } from '../../common/api';
import type { Api, Schemas } from '../../common/api';
import type { StaffSession } from './auth';
import { MenuEditor } from './menu-editor';

type Tab = 'menu' | 'tables' | 'staff' | 'settings' | 'audit';
const TABS: { tab: Tab; label: string }[] = [
  { tab: 'menu', label: 'Menu' },
  { tab: 'tables', label: 'Tables' },
  { tab: 'staff', label: 'Staff' },
  { tab: 'settings', label: 'Settings' },
  { tab: 'audit', label: 'Audit log' },
];

/** What a failed call says: the server's own message from the contract's error body. */
export const messageOf = (error: unknown) => problemOf(error)?.message ?? 'No connection to the server.';

/** The back office (OWNER, MANAGER): menu, tables and their QR codes, staff, settings, the audit log. Every failure shows the server's message. */
export function BackOffice({ api, session, onRefused }: { api: Api; session: StaffSession; onRefused: () => void }) {
  const [tab, setTab] = useState<Tab>('menu');
  const [message, setMessage] = useState<string | undefined>();
  const fail = (error: unknown, response: Response | undefined) => (response?.status === 401 ? onRefused() : setMessage(messageOf(error)));
  const props = { api, restaurantId: session.restaurantId, onError: fail, onDone: () => setMessage(undefined) };
  return (
    <section aria-label="Back office" class="office">
      <nav aria-label="Back office" class="tools">
        {TABS.map(({ tab: name, label }) => (
          <button key={name} type="button" aria-pressed={tab === name} onClick={() => setTab(name)}>
            {label}
          </button>
        ))}
      </nav>
      {message && <p role="alert">{message}</p>}
      {tab === 'menu' && <MenuEditor {...props} />}
      {tab === 'tables' && <Tables {...props} />}
      {tab === 'staff' && <StaffList {...props} />}
      {tab === 'settings' && <Settings {...props} />}
      {tab === 'audit' && <Audit {...props} />}
    </section>
  );
}

export interface OfficeProps {
  api: Api;
  restaurantId: string;
  onError: (error: unknown, response: Response | undefined) => void;
  onDone: () => void;
}

/** A table's QR code as a data URL (the page's policy allows images from itself and data: only). */
async function qrCode(api: Api, restaurantId: string, tableId: string): Promise<string | undefined> {
  const { data } = await api.GET('/v1/restaurants/{restaurantId}/tables/{tableId}/qr.svg', { params: { path: { restaurantId, tableId } }, parseAs: 'text' });
  return typeof data === 'string' ? `data:image/svg+xml;base64,${btoa(data)}` : undefined;
}

/** Tables with their QR codes; a print view lays every table's code out with its name on A4. */
function Tables({ api, restaurantId, onError, onDone }: OfficeProps) {
  const [tables, setTables] = useState<Schemas['Table'][]>([]);
  const [codes, setCodes] = useState<Record<string, string>>({});
  const [name, setName] = useState('');
  const [printing, setPrinting] = useState(false);
  const load = async () => {
    const { data, error, response } = await api.GET('/v1/restaurants/{restaurantId}/tables', { params: { path: { restaurantId } } });
    if (!data) return onError(error, response);
    setTables(data.tables);
    const entries = await Promise.all(data.tables.map(async (table) => [table.tableId, await qrCode(api, restaurantId, table.tableId)] as const));
    setCodes(Object.fromEntries(entries.filter((entry): entry is readonly [string, string] => entry[1] !== undefined)));
  };
  useEffect(() => void load(), []);
  const add = async (event: Event) => {
    event.preventDefault();
    const { data, error, response } = await api.POST('/v1/restaurants/{restaurantId}/tables', { params: { path: { restaurantId } }, body: { name } });
    if (!data) return onError(error, response);
    setName('');
    onDone();
    await load();
  };
  const newCode = async (table: Schemas['Table']) => {
    if (!confirm(`Give ${table.name} a new code? Its printed QR code stops working at once; print the new one.`)) return;
    const { data, error, response } = await api.POST('/v1/restaurants/{restaurantId}/tables/{tableId}/code', { params: { path: { restaurantId, tableId: table.tableId } } });
    if (!data) return onError(error, response);
    await load();
  };

  if (printing) {
    return (
      <section aria-label="QR codes to print" class="print">
        <p class="no-print">
          <button type="button" onClick={() => print()}>
            Print
          </button>{' '}
          <button type="button" onClick={() => setPrinting(false)}>
            Back
          </button>
        </p>
        <ul class="sheet">
          {tables.map((table) => (
            <li key={table.tableId}>
              {codes[table.tableId] && <img src={codes[table.tableId]} alt={`QR code of ${table.name}`} data-order-url={table.orderUrl} />}
              <span>{table.name}</span>
            </li>
          ))}
        </ul>
      </section>
    );
  }
  return (
    <section aria-label="Tables">
      <form class="tools" onSubmit={(event) => void add(event)}>
        <label>
          New table <input value={name} onInput={(e) => setName(e.currentTarget.value)} required maxLength={40} />
        </label>
        <button type="submit" class="primary">
          Add table
        </button>
        <button type="button" onClick={() => setPrinting(true)}>
          Print view
        </button>
      </form>
      <ul class="rows">
        {tables.map((table) => (
          <li key={table.tableId}>
            {codes[table.tableId] && <img src={codes[table.tableId]} alt={`QR code of ${table.name}`} width={96} height={96} />}
            <strong>{table.name}</strong>
            <a href={table.orderUrl}>{table.orderUrl}</a>
            <button type="button" onClick={() => void newCode(table)}>
              New code for {table.name}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

const ROLES = ['MANAGER', 'WAITER', 'KITCHEN', 'OWNER'] as const;

function StaffList({ api, restaurantId, onError, onDone }: OfficeProps) {
  const [staff, setStaff] = useState<Schemas['StaffMember'][]>([]);
  const [form, setForm] = useState({ username: '', password: '', role: 'WAITER' as (typeof ROLES)[number], station: '' });
  const path = { restaurantId };
  const load = async () => {
    const { data, error, response } = await api.GET('/v1/restaurants/{restaurantId}/staff', { params: { path } });
    return data ? setStaff(data.staff) : onError(error, response);
  };
  useEffect(() => void load(), []);
  const create = async (event: Event) => {
    event.preventDefault();
    const body = { username: form.username, password: form.password, role: form.role, ...(form.station ? { station: form.station } : {}) };
    const { data, error, response } = await api.POST('/v1/restaurants/{restaurantId}/staff', { params: { path }, body });
    if (!data) return onError(error, response);
    setForm({ ...form, username: '', password: '' });
    onDone();
    await load();
  };
  const act = async (answer: Promise<{ error?: unknown; response: Response }>) => {
    const { error, response } = await answer;
    if (error) return onError(error, response);
    onDone();
    await load();
  };
  const signInLink = `${location.origin}${location.pathname}?r=${encodeURIComponent(restaurantId)}`;
  return (
    <section aria-label="Staff">
      <p>
        Sign-in link for staff devices (the restaurant filled in): <a href={signInLink}>{signInLink}</a>
      </p>
      <form class="tools" onSubmit={(event) => void create(event)}>
        <label>
          Username <input value={form.username} onInput={(e) => setForm({ ...form, username: e.currentTarget.value })} required />
        </label>
        <label>
          Password <input type="password" value={form.password} onInput={(e) => setForm({ ...form, password: e.currentTarget.value })} required autoComplete="new-password" />
        </label>
        <label>
          Role{' '}
          <select value={form.role} onChange={(e) => setForm({ ...form, role: e.currentTarget.value as (typeof ROLES)[number] })}>
            {ROLES.map((role) => (
              <option key={role}>{role}</option>
            ))}
          </select>
        </label>
        <label>
          Station (kitchen) <input value={form.station} onInput={(e) => setForm({ ...form, station: e.currentTarget.value })} />
        </label>
        <button type="submit" class="primary">
          Create account
        </button>
      </form>
      <ul class="rows">
        {staff.map((member) => (
          <li key={member.staffId}>
            <strong>{member.username}</strong> <span>{member.role.toLowerCase()}</span> {member.station && <span>{member.station}</span>}
            <button type="button" onClick={() => void act(api.POST('/v1/restaurants/{restaurantId}/staff/{staffId}/unlock', { params: { path: { restaurantId, staffId: member.staffId } } }))}>
              Unlock {member.username}
            </button>
            <button
              type="button"
              onClick={() =>
                confirm(`Delete ${member.username}? Their screens are signed out at once.`) &&
                void act(api.DELETE('/v1/restaurants/{restaurantId}/staff/{staffId}', { params: { path: { restaurantId, staffId: member.staffId } } }))
              }
            >
              Delete {member.username}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Settings({ api, restaurantId, onError, onDone }: OfficeProps) {
  const [settings, setSettings] = useState<Schemas['RestaurantSettings'] | undefined>();
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    void api.GET('/v1/restaurants/{restaurantId}', { params: { path: { restaurantId } } }).then(({ data, error, response }) => (data && 'coursing' in data ? setSettings(data) : onError(error, response)));
  }, []);
  if (!settings) return <p role="status">Loading…</p>;
  const save = async (event: Event) => {
    event.preventDefault();
    const { name, maxGuestsPerSession, coursing, defaultPrepMinutes, dueSoonMinutes, languages } = settings;
    const { data, error, response } = await api.PATCH('/v1/restaurants/{restaurantId}', {
      params: { path: { restaurantId } },
      body: { name, maxGuestsPerSession, coursing, dueSoonMinutes, languages, ...(defaultPrepMinutes ? { defaultPrepMinutes } : {}) },
    });
    if (!data) return onError(error, response);
    setSaved(true);
    onDone();
  };
  return (
    <form aria-label="Settings" class="form" onSubmit={(event) => void save(event)}>
      <label>
        Name <input value={settings.name} onInput={(e) => setSettings({ ...settings, name: e.currentTarget.value })} required />
      </label>
      <label>
        Guests per table <input type="number" min={1} value={settings.maxGuestsPerSession} onInput={(e) => setSettings({ ...settings, maxGuestsPerSession: Number(e.currentTarget.value) })} />
      </label>
      <label>
        <input type="checkbox" checked={settings.coursing} onChange={(e) => setSettings({ ...settings, coursing: e.currentTarget.checked })} /> Courses (hold later courses until fired)
      </label>
      <label>
        Default prep minutes{' '}
        <input type="number" min={1} max={240} value={settings.defaultPrepMinutes ?? ''} onInput={(e) => setSettings({ ...settings, defaultPrepMinutes: Number(e.currentTarget.value) || null })} />
      </label>
      <label>
        Due soon (minutes before a ticket is due){' '}
        <input type="number" min={1} max={60} value={settings.dueSoonMinutes} onInput={(e) => setSettings({ ...settings, dueSoonMinutes: Number(e.currentTarget.value) })} />
      </label>
      <label>
        Languages (the menu's own first){' '}
        <input value={settings.languages.join(', ')} onInput={(e) => setSettings({ ...settings, languages: e.currentTarget.value.split(',').map((l) => l.trim()).filter(Boolean) })} />
      </label>
      <button type="submit" class="primary">
        Save settings
      </button>
      {saved && <p role="status">Saved.</p>}
    </form>
  );
}

function Audit({ api, restaurantId, onError }: OfficeProps) {
  const [entries, setEntries] = useState<Schemas['AuditEntry'][]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [from, setFrom] = useState('');
  const [outcome, setOutcome] = useState('');
  const load = async (after?: string) => {
    const query = { limit: 50, ...(from ? { from: new Date(from).toISOString() } : {}), ...(after ? { cursor: after } : {}) };
    const { data, error, response } = await api.GET('/v1/restaurants/{restaurantId}/audit', { params: { path: { restaurantId }, query } });
    if (!data) return onError(error, response);
    setEntries((known) => (after ? [...known, ...data.entries] : data.entries));
    setCursor(data.nextCursor);
  };
  useEffect(() => void load(), [from]);
  const shown = entries.filter((entry) => !outcome || entry.outcome === outcome);
  return (
    <section aria-label="Audit log">
      <div class="tools">
        <label>
          Since <input type="datetime-local" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
        </label>
        <label>
          Outcome{' '}
          <select value={outcome} onChange={(e) => setOutcome(e.currentTarget.value)}>
            <option value="">all</option>
            <option value="success">success</option>
            <option value="failure">failure</option>
            <option value="blocked">blocked</option>
          </select>
        </label>
      </div>
      <table class="audit">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">What</th>
            <th scope="col">Outcome</th>
            <th scope="col">Who</th>
            <th scope="col">From</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((entry) => (
            <tr key={entry.entryId}>
              <td>{new Date(entry.at).toLocaleString()}</td>
              <td>{entry.action}</td>
              <td>
                {entry.outcome} {entry.code && `(${entry.code})`}
              </td>
              <td>
                {entry.actor.kind} {entry.actor.role ?? ''}
              </td>
              <td>{entry.sourceIp}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {cursor && (
        <button type="button" onClick={() => void load(cursor)}>
          More
        </button>
      )}
    </section>
  );
}
