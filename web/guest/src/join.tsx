import { useEffect, useState } from 'preact/hooks';
import { problemOf, retryAfterOf } from '../../common/api';
import type { Api, Schemas } from '../../common/api';
import { useLocale } from './context';
import type { Seat } from './store';

type Joined = Schemas['JoinResult'];
const seatOf = (join: Joined): Seat => ({ token: join.token, guestId: join.guestId, resumeSecret: join.resumeSecret, sessionId: join.sessionId });

/** A join the guarded session turned into a request: polled with its own token until the table answers. */
interface Pending {
  joinRequestId: string;
  pollToken: string;
  retryAfterSeconds: number;
}

/**
 * The PIN form. A guest who was here before (a token that stopped working) comes back as themselves:
 * the PIN plus their resume secret. Wrong PINs say how many attempts are left, a blocked source counts
 * down its Retry-After, a guarded session waits for the table to let the guest in.
 */
export function Join({ api, tableCode, previous, onSeat }: { api: Api; tableCode: string; previous: Seat | undefined; onSeat: (seat: Seat) => void }) {
  const { t } = useLocale();
  const [pin, setPin] = useState('');
  const [name, setName] = useState('');
  const [message, setMessage] = useState<string | undefined>();
  const [blockedUntil, setBlockedUntil] = useState(0);
  const [now, setNow] = useState(Date.now());
  const [pending, setPending] = useState<Pending | undefined>();
  const [busy, setBusy] = useState(false);

  const blockedFor = Math.max(0, Math.ceil((blockedUntil - now) / 1000));
  useEffect(() => {
    if (blockedUntil <= Date.now()) return;
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(tick);
  }, [blockedUntil]);
  useEffect(() => {
    if (blockedUntil && blockedFor === 0) setMessage(undefined);
  }, [blockedFor === 0]);

  useEffect(() => {
    if (!pending) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      const answer = await api
        .GET('/v1/join-requests/{joinRequestId}', { params: { path: { joinRequestId: pending.joinRequestId } }, headers: { Authorization: `Bearer ${pending.pollToken}` } })
        .catch(() => undefined);
      if (stopped) return;
      const state = answer?.data;
      if (state?.status === 'APPROVED' && state.join) return onSeat(seatOf(state.join));
      if (state?.status === 'DENIED' || state?.status === 'EXPIRED') {
        setPending(undefined);
        return setMessage(state.status === 'DENIED' ? t.denied : t.expired);
      }
      timer = setTimeout(() => void poll(), pending.retryAfterSeconds * 1000);
    };
    timer = setTimeout(() => void poll(), pending.retryAfterSeconds * 1000);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [pending]);

  const attempt = async (proof: { guestId?: string; resumeSecret?: string }): Promise<void> => {
    const guestName = name.trim();
    const { data, error, response } = await api.POST('/v1/sessions/join', { body: { tableCode, pin: pin.trim(), ...proof, ...(guestName ? { guestName } : {}) } });
    if (response.status === 201 && data && 'token' in data) return onSeat(seatOf(data));
    if (response.status === 202 && data && 'pollToken' in data) {
      setMessage(undefined);
      return setPending(data);
    }
    const problem = problemOf(error);
    // The proof was for a session that ended: this is a new visit, so the guest joins as someone new.
    if (problem?.code === 'UNAUTHENTICATED' && proof.guestId) return attempt({});
    if (response.status === 429) {
      const seconds = retryAfterOf(response, 60);
      // One clock reading for both: two could straddle a millisecond and show a 4 s block as 5 s.
      const at = Date.now();
      setNow(at);
      setBlockedUntil(at + seconds * 1000);
      return setMessage(undefined);
    }
    const left = Number(problem?.details?.attemptsLeft);
    setMessage(
      problem?.code === 'INVALID_PIN'
        ? t.wrongPin(left)
        : problem?.code === 'NO_OPEN_SESSION'
          ? t.noSession
          : problem?.code === 'SESSION_FULL'
            ? t.sessionFull
            : (problem?.message ?? t.failed),
    );
  };

  const join = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    await attempt(previous ? { guestId: previous.guestId, resumeSecret: previous.resumeSecret } : {}).catch(() => setMessage(t.offline));
    setBusy(false);
  };

  if (pending) return <p role="status">{t.waiting}</p>;
  return (
    <form onSubmit={(event) => void join(event)} class="join">
      <p>{t.joinHint}</p>
      <label>
        {t.pin}
        <input inputMode="numeric" autoComplete="one-time-code" pattern="[0-9]*" maxLength={12} value={pin} onInput={(e) => setPin(e.currentTarget.value)} required />
      </label>
      <label>
        {t.yourName}
        <input value={name} onInput={(e) => setName(e.currentTarget.value)} maxLength={40} autoComplete="given-name" />
      </label>
      <button type="submit" class="primary" disabled={busy || blockedFor > 0}>
        {t.join}
      </button>
      {blockedFor > 0 && <p role="alert">{t.blocked(blockedFor)}</p>}
      {message && <p role="alert">{message}</p>}
    </form>
  );
}
