import { useEffect, useRef, useState } from 'preact/hooks';
import type { Schemas } from '../../common/api';
import { useLocale } from './context';

export type MenuItem = Schemas['PublicMenuItem'];
export type Category = { name: string; items: MenuItem[] };
/** What "Add to order" sends: prices are never the client's, only the choice. */
export interface Choice {
  itemId: string;
  quantity: number;
  notes?: string;
  options: { groupId: string; optionIds: string[] }[];
}

const label = (tags: Record<string, string>, code: string) => tags[code] ?? code;

/** The menu by category, with dietary tags to keep and allergens to leave out; 86'd dishes stay listed, unavailable. */
export function Menu({ categories, onChoose }: { categories: Category[]; onChoose: (item: MenuItem) => void }) {
  const { t, money, time } = useLocale();
  const [only, setOnly] = useState<string[]>([]);
  const [without, setWithout] = useState<string[]>([]);
  const items = categories.flatMap((category) => category.items);
  const dietary = [...new Set(items.flatMap((item) => item.dietary))].sort();
  const allergens = [...new Set(items.flatMap((item) => item.allergens))].sort();
  const shown = (item: MenuItem) => only.every((tag) => item.dietary.includes(tag as never)) && !without.some((allergen) => item.allergens.includes(allergen as never));
  const toggle = (list: string[], set: (next: string[]) => void, code: string) => set(list.includes(code) ? list.filter((c) => c !== code) : [...list, code]);
  const visible = categories.map((category) => ({ ...category, items: category.items.filter(shown) })).filter((category) => category.items.length > 0);

  return (
    <section aria-labelledby="menu-heading">
      <h2 id="menu-heading">{t.menu}</h2>
      {(dietary.length > 0 || allergens.length > 0) && (
        <details class="filters">
          <summary>{t.filters}</summary>
          <TagFilter legend={t.only} codes={dietary} chosen={only} onToggle={(code) => toggle(only, setOnly, code)} />
          <TagFilter legend={t.without} codes={allergens} chosen={without} onToggle={(code) => toggle(without, setWithout, code)} />
        </details>
      )}
      {items.length > 0 && visible.length === 0 && <p>{t.noMatch}</p>}
      {visible.map((category) => (
        <section key={category.name} aria-label={category.name}>
          <h3>{category.name}</h3>
          <ul class="menu">
            {category.items.map((item) => (
              <li key={item.itemId}>
                <button type="button" class="dish" disabled={!item.available} onClick={() => onChoose(item)}>
                  <span class="dish-name">{item.name}</span>
                  <span class="price">{money(item.priceCents)}</span>
                  {item.description && <span class="description">{item.description}</span>}
                  {item.dietary.length > 0 && <span class="tags">{item.dietary.map((tag) => label(t.tag, tag)).join(' · ')}</span>}
                  {item.allergens.length > 0 && (
                    <span class="allergens">
                      {t.contains}: {item.allergens.map((allergen) => label(t.tag, allergen)).join(', ')}
                    </span>
                  )}
                  {!item.available && <span class="sold-out">{item.availableAgainAt ? t.soldOutUntil(time(item.availableAgainAt)) : t.soldOut}</span>}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </section>
  );
}

/** One group of filter check boxes (dietary tags to keep, or allergens to leave out); nothing when the menu has none. */
function TagFilter({ legend, codes, chosen, onToggle }: { legend: string; codes: string[]; chosen: string[]; onToggle: (code: string) => void }) {
  const { t } = useLocale();
  if (codes.length === 0) return null;
  return (
    <fieldset>
      <legend>{legend}</legend>
      {codes.map((code) => (
        <label key={code} class="chip">
          <input type="checkbox" checked={chosen.includes(code)} onChange={() => onToggle(code)} /> {label(t.tag, code)}
        </label>
      ))}
    </fieldset>
  );
}

/**
 * One dish: its option groups (a required group must be chosen before "Add to order" is enabled;
 * a group of one is a radio choice, else check boxes up to its maximum), quantity and notes, and the
 * price as chosen. The server prices the line again; this is what the guest expects to pay.
 */
export function ItemDialog({ item, onAdd, onClose }: { item: MenuItem; onAdd: (choice: Choice) => Promise<boolean>; onClose: () => void }) {
  const { t, money } = useLocale();
  const dialog = useRef<HTMLDialogElement>(null);
  const [chosen, setChosen] = useState<Record<string, string[]>>({});
  const [quantity, setQuantity] = useState(1);
  const [notes, setNotes] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  const pick = (group: Schemas['OptionGroup'], optionId: string, on: boolean) => {
    const current = chosen[group.groupId] ?? [];
    // A group of at most one: choosing another option replaces the first.
    const next = group.maxSelected === 1 ? [optionId] : [...current, optionId];
    setChosen({ ...chosen, [group.groupId]: on ? next : current.filter((id) => id !== optionId) });
  };
  const complete = item.optionGroups.every((group) => (chosen[group.groupId]?.length ?? 0) >= group.minSelected);
  const delta = item.optionGroups.flatMap((group) => group.options.filter((option) => chosen[group.groupId]?.includes(option.optionId))).reduce((sum, option) => sum + option.priceDeltaCents, 0);
  const total = Math.max(0, item.priceCents + delta) * quantity;

  const add = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    const options = Object.entries(chosen)
      .filter(([, optionIds]) => optionIds.length > 0)
      .map(([groupId, optionIds]) => ({ groupId, optionIds }));
    const added = await onAdd({ itemId: item.itemId, quantity, options, ...(notes.trim() ? { notes: notes.trim() } : {}) });
    setBusy(false);
    if (added) dialog.current?.close();
  };

  return (
    <dialog ref={dialog} aria-labelledby="dish-title" onClose={onClose}>
      <form onSubmit={(event) => void add(event)}>
        <h2 id="dish-title">{item.name}</h2>
        {item.description && <p>{item.description}</p>}
        {item.optionGroups.map((group) => {
          const picked = chosen[group.groupId] ?? [];
          // Exactly one: radio buttons; anything else: check boxes up to the maximum.
          const single = group.minSelected === 1 && group.maxSelected === 1;
          return (
            <fieldset key={group.groupId}>
              <legend>
                {group.name} · {group.minSelected > 0 ? t.required(group.minSelected) : t.upTo(group.maxSelected)}
              </legend>
              {group.options.map((option) => {
                const on = picked.includes(option.optionId);
                const full = group.maxSelected > 1 && !on && picked.length >= group.maxSelected;
                return (
                  <label key={option.optionId} class="option">
                    <input
                      type={single ? 'radio' : 'checkbox'}
                      name={group.groupId}
                      checked={on}
                      disabled={!option.available || full}
                      onChange={(e) => pick(group, option.optionId, e.currentTarget.checked)}
                    />
                    <span>{option.name}</span>
                    <span class="price">{!option.available ? t.soldOut : option.priceDeltaCents !== 0 ? `${option.priceDeltaCents > 0 ? '+' : '−'}${money(Math.abs(option.priceDeltaCents))}` : ''}</span>
                  </label>
                );
              })}
            </fieldset>
          );
        })}
        <div class="quantity" role="group" aria-label={t.quantity}>
          <button type="button" aria-label={t.fewer(item.name)} disabled={quantity <= 1} onClick={() => setQuantity(quantity - 1)}>
            −
          </button>
          <output aria-live="polite">{quantity}</output>
          <button type="button" aria-label={t.more(item.name)} disabled={quantity >= 50} onClick={() => setQuantity(quantity + 1)}>
            +
          </button>
        </div>
        <label>
          {t.notes}
          <textarea value={notes} maxLength={200} rows={2} onInput={(e) => setNotes(e.currentTarget.value)} />
        </label>
        <div class="actions">
          <button type="button" onClick={() => dialog.current?.close()}>
            {t.close}
          </button>
          <button type="submit" class="primary" disabled={!complete || busy}>
            {t.addToOrder} · {money(total)}
          </button>
        </div>
      </form>
    </dialog>
  );
}
