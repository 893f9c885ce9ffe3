import { useEffect, useMemo, useState } from 'preact/hooks';
import { createApi } from '../../common/api';
import type { AppConfig } from '../../common/api';
import { LocaleContext, localeFor } from './context';
import { catalogue, pickLanguage } from './i18n';
import { Join } from './join';
import { loadPlace, loadSeat, savePlace, saveSeat } from './store';
import type { Place, Seat } from './store';
import { Table } from './table';
import type { Ending } from './table';

/** The page a table's QR code opens: who and where, then the PIN, then the table itself. */
export function App({ config, tableCode }: { config: AppConfig; tableCode: string }) {
  const language = pickLanguage(navigator.languages);
  const t = catalogue(language);
  const [seat, setSeat] = useState<Seat | undefined>(() => (tableCode ? loadSeat(tableCode) : undefined));
  const api = useMemo(() => createApi(config, () => seat?.token), [config, seat?.token]);
  // Public reads go without the token: no CORS preflight before the first paint.
  const publicApi = useMemo(() => createApi(config, () => undefined), [config]);
  // A returning phone shows the table at once from what it kept, and checks it in the background.
  const [place, setPlace] = useState<Place | undefined>(() => (tableCode ? loadPlace(tableCode) : undefined));
  const [problem, setProblem] = useState<string | undefined>(tableCode ? undefined : t.scanFirst);
  const [ended, setEnded] = useState<Ending | undefined>();

  useEffect(() => {
    document.documentElement.lang = language;
    if (!tableCode) return;
    publicApi.GET('/v1/tables/{tableCode}', { params: { path: { tableCode } } }).then(
      ({ data }) => {
        const found = data ? { restaurant: data.restaurant, tableName: data.table.name } : undefined;
        savePlace(tableCode, found);
        return found ? setPlace(found) : setProblem(t.unknownCode);
      },
      () => setPlace((known) => (known ? known : void setProblem(t.offline))),
    );
  }, [tableCode]);

  const seated = (next: Seat | undefined) => {
    saveSeat(tableCode, next);
    setSeat(next);
  };

  /** The table is over for this phone: nothing of it is kept, the next visit starts with the PIN. */
  const end = (ending: Ending) => {
    saveSeat(tableCode, undefined);
    setSeat(undefined);
    setEnded(ending);
  };

  const currency = place?.restaurant.currency;
  const locale = useMemo(() => currency && localeFor(navigator.language, language, t, currency), [currency]);

  if (problem) return <p role="alert">{problem}</p>;
  if (!place || !locale) return <p role="status">{t.loading}</p>;
  return (
    <LocaleContext.Provider value={locale}>
      <header>
        <h1>
          {place.restaurant.name} · {place.tableName}
        </h1>
      </header>
      {ended ? (
        <section aria-labelledby="ended-heading" class="ended">
          <h2 id="ended-heading">{t.closedTitle}</h2>
          <p>{ended === 'closed' ? t.closed : t.removed}</p>
        </section>
      ) : seat?.token ? (
        <Table api={api} publicApi={publicApi} config={config} seat={seat} restaurant={place.restaurant} onSeat={seated} onEnded={end} />
      ) : (
        <Join api={api} tableCode={tableCode} previous={seat} onSeat={seated} />
      )}
    </LocaleContext.Provider>
  );
}
