import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Language, Strings } from './i18n';

/** What every screen formats with: the guest's language and the restaurant's currency. */
export interface Locale {
  language: Language;
  t: Strings;
  money: (cents: number) => string;
  time: (iso: string) => string;
}

export const LocaleContext = createContext<Locale | undefined>(undefined);

export const useLocale = (): Locale => {
  const locale = useContext(LocaleContext);
  if (!locale) throw new Error('useLocale outside the app');
  return locale;
};

/** `tag` is the browser's own (en-GB, de-AT): numbers and times as the guest reads them. */
export function localeFor(tag: string, language: Language, t: Strings, currency: string): Locale {
  const money = new Intl.NumberFormat(tag, { style: 'currency', currency });
  const time = new Intl.DateTimeFormat(tag, { hour: '2-digit', minute: '2-digit' });
  return { language, t, money: (cents) => money.format(cents / 100), time: (iso) => time.format(new Date(iso)) };
}
