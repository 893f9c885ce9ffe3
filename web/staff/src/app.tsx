import { useMemo, useState } from 'preact/hooks';
import { createApi, problemOf } from '../../common/api';
import type { Api, AppConfig } from '../../common/api';
import { canCook, canManage, canServe, loadDeviceToken, loadSession, saveDeviceToken, saveSession } from './auth';
import type { StaffSession } from './auth';
import { BackOffice } from './back-office';
import { Floor } from './floor';
import { Kitchen } from './kitchen';

type Screen = 'kitchen' | 'floor' | 'office';
const TITLES: Record<Screen, string> = { kitchen: 'Kitchen', floor: 'Floor', office: 'Back office' };

/** The staff app: sign in, then the screens the role works with (kitchen display, floor). */
export function App({ config }: { config: AppConfig }) {
  const [session, setSession] = useState<StaffSession | undefined>(loadSession);
  const api = useMemo(() => createApi(config, () => session?.token), [config, session?.token]);
  const signedIn = (next: StaffSession | undefined) => {
    saveSession(next);
    setSession(next);
  };
  if (!session) return <Login api={api} onSignedIn={signedIn} />;
  return <Signed api={api} config={config} session={session} onSignedOut={() => signedIn(undefined)} />;
}

function Signed({ api, config, session, onSignedOut }: { api: Api; config: AppConfig; session: StaffSession; onSignedOut: () => void }) {
  const { role } = session.staff;
  const screens: Screen[] = [...(canCook(role) ? (['kitchen'] as const) : []), ...(canServe(role) ? (['floor'] as const) : []), ...(canManage(role) ? (['office'] as const) : [])];
  const [screen, setScreen] = useState<Screen>(screens[0] ?? 'kitchen');
  const logout = async () => {
    await api.POST('/v1/logout').catch(() => undefined);
    onSignedOut();
  };
  // A token the server no longer takes (revoked, expired, the account deleted) sends the screen back to the login.
  const refused = () => onSignedOut();
  return (
    <>
      <header class="bar">
        <h1>{TITLES[screen]}</h1>
        <nav aria-label="Screens">
          {screens.map((name) => (
            <button key={name} type="button" aria-pressed={screen === name} onClick={() => setScreen(name)}>
              {TITLES[name]}
            </button>
          ))}
        </nav>
        <span class="who">
          {session.staff.username} ({role.toLowerCase()})
        </span>
        <button type="button" onClick={() => void logout()}>
          Log out
        </button>
      </header>
      {screen === 'kitchen' && <Kitchen api={api} config={config} session={session} onRefused={refused} />}
      {screen === 'floor' && <Floor api={api} config={config} session={session} onRefused={refused} />}
      {screen === 'office' && <BackOffice api={api} session={session} onRefused={refused} />}
    </>
  );
}

function Login({ api, onSignedIn }: { api: Api; onSignedIn: (session: StaffSession) => void }) {
  // A sign-in link (the back office's Staff tab shows it) names the restaurant; else the one this device last signed in to.
  const [restaurantId, setRestaurantId] = useState(() => new URLSearchParams(location.search).get('r') ?? localStorage.getItem('restaurant') ?? '');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [message, setMessage] = useState<string | undefined>();

  const submit = async (event: Event) => {
    event.preventDefault();
    const deviceToken = loadDeviceToken(restaurantId.trim(), username.trim());
    const answer = await api
      .POST('/v1/staff/login', { body: { restaurantId: restaurantId.trim(), username: username.trim(), password, ...(deviceToken ? { deviceToken } : {}) } })
      .catch(() => undefined);
    if (!answer) return setMessage('No connection to the restaurant’s server.');
    if (!answer.data) return setMessage(problemOf(answer.error)?.message ?? 'Could not sign in.');
    const { token, expiresAt, staff } = answer.data;
    saveDeviceToken(restaurantId.trim(), username.trim(), answer.data.deviceToken);
    localStorage.setItem('restaurant', restaurantId.trim());
    onSignedIn({ restaurantId: restaurantId.trim(), token, expiresAt, staff });
  };

  return (
    <form class="login" onSubmit={(event) => void submit(event)}>
      <h1>Staff sign-in</h1>
      <label>
        Restaurant
        <input value={restaurantId} onInput={(e) => setRestaurantId(e.currentTarget.value)} required autoComplete="organization" />
      </label>
      <label>
        Username
        <input value={username} onInput={(e) => setUsername(e.currentTarget.value)} required autoComplete="username" />
      </label>
      <label>
        Password
        <input type="password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} required autoComplete="current-password" />
      </label>
      <button type="submit" class="primary">
        Sign in
      </button>
      {message && <p role="alert">{message}</p>}
    </form>
  );
}
