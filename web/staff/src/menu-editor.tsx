import { useEffect, useState } from 'preact/hooks';
import { problemOf } from '../../common/api';
import type { Schemas } from '../../common/api';
import type { OfficeProps } from './back-office';

interface GroupDraft {
  name: string;
  minSelected: number;
  maxSelected: number;
  /** "Cheese 1.50, Bacon 2" — each option's name and its price difference. */
  options: string;
}
const EMPTY = { name: '', category: '', price: '', station: '', description: '', allergens: '', dietary: '', course: '0', prepMinutes: '', kitchenName: '' };
/** A language's name for the form (the restaurant's translations: de, fr, …). */
const languageName = (code: string) => new Intl.DisplayNames(['en'], { type: 'language' }).of(code) ?? code;

type Item = Schemas['MenuItem'];
const money = (cents: number) => (cents / 100).toFixed(2);
/** The form as it shows an item being edited. */
const draftOf = (item: Item): typeof EMPTY => ({
  name: item.name,
  category: item.category,
  price: money(item.priceCents),
  station: item.station,
  description: item.description ?? '',
  allergens: item.allergens.join(', '),
  dietary: item.dietary.join(', '),
  course: String(item.course),
  prepMinutes: item.prepMinutes ? String(item.prepMinutes) : '',
  kitchenName: item.kitchenName ?? '',
});
const namesOf = (item: Item): Record<string, string> => Object.fromEntries(Object.entries(item.translations).map(([language, text]) => [language, text.name ?? '']));
const groupsOf = (item: Item): GroupDraft[] =>
  item.optionGroups.map((group) => ({
    name: group.name,
    minSelected: group.minSelected,
    maxSelected: group.maxSelected,
    options: group.options.map((option) => (option.priceDeltaCents ? `${option.name} ${money(option.priceDeltaCents)}` : option.name)).join(', '),
  }));

const list = (text: string) => text.split(',').map((part) => part.trim().toLowerCase()).filter(Boolean);
const cents = (text: string) => Math.round(Number(text.replace(',', '.')) * 100);
/** "Cheese 1.50" → {name: 'Cheese', priceDeltaCents: 150}; a name alone costs nothing more. */
const optionOf = (text: string) => {
  const match = /^(.*?)\s+(-?\d+(?:[.,]\d{1,2})?)$/.exec(text.trim());
  return match ? { name: (match[1] as string).trim(), priceDeltaCents: cents(match[2] as string) } : { name: text.trim(), priceDeltaCents: 0 };
};

/**
 * The menu as managers change it: add a dish (options, dietary tags, allergens, course, prep time,
 * the kitchen's name, its name in each of the restaurant's other languages), take one off now or until a time (it comes back by itself),
 * put it back, delete it. The server checks everything; its message is shown as it says it.
 */
export function MenuEditor({ api, restaurantId, onError, onDone }: OfficeProps) {
  const [items, setItems] = useState<Item[]>([]);
  // The restaurant's languages after its own: each gets a name field.
  const [languages, setLanguages] = useState<string[]>([]);
  const [names, setNames] = useState<Record<string, string>>({});
  const [editing, setEditing] = useState<Item | undefined>();
  const [draft, setDraft] = useState(EMPTY);
  const [groups, setGroups] = useState<GroupDraft[]>([]);
  const [until, setUntil] = useState<Record<string, string>>({});
  const [imported, setImported] = useState<{ text: string; issues: string[] } | undefined>();
  const path = { restaurantId };

  const load = async () => {
    const { data, error, response } = await api.GET('/v1/restaurants/{restaurantId}/menu/items', { params: { path } });
    return data ? setItems(data.items) : onError(error, response);
  };
  useEffect(() => {
    void load();
    void api.GET('/v1/restaurants/{restaurantId}', { params: { path } }).then(({ data }) => data && setLanguages(data.languages.slice(1)));
  }, []);

  /** Saves the form: a new dish, or the one being edited (its option groups and options keep their ids by name, so carts holding them stay valid). */
  const save = async (event: Event) => {
    event.preventDefault();
    const idsOf = (name: string) => editing?.optionGroups.find((group) => group.name === name);
    const body = {
      name: draft.name,
      category: draft.category,
      priceCents: cents(draft.price),
      station: draft.station,
      ...(draft.description ? { description: draft.description } : {}),
      allergens: list(draft.allergens),
      dietary: list(draft.dietary),
      course: Number(draft.course),
      ...(draft.prepMinutes ? { prepMinutes: Number(draft.prepMinutes) } : {}),
      ...(draft.kitchenName ? { kitchenName: draft.kitchenName } : {}),
      ...(Object.values(names).some(Boolean) ? { translations: Object.fromEntries(Object.entries(names).filter(([, name]) => name).map(([language, name]) => [language, { name }])) } : {}),
      optionGroups: groups.map((group) => {
        const known = idsOf(group.name);
        const options = group.options
          .split(',')
          .filter((o) => o.trim())
          .map(optionOf)
          .map((option) => {
            const optionId = known?.options.find((o) => o.name === option.name)?.optionId;
            return optionId ? { ...option, optionId } : option;
          });
        return { ...group, ...(known ? { groupId: known.groupId } : {}), options };
      }),
    };
    const { data, error, response } = editing
      ? await api.PATCH('/v1/restaurants/{restaurantId}/menu/items/{itemId}', { params: { path: { restaurantId, itemId: editing.itemId } }, body: body as never })
      : await api.POST('/v1/restaurants/{restaurantId}/menu/items', { params: { path }, body: body as never });
    if (!data) return onError(error, response);
    setDraft(EMPTY);
    setGroups([]);
    setNames({});
    setEditing(undefined);
    onDone();
    await load();
  };
  const patch = async (itemId: string, body: { available: boolean; availableAgainAt?: string }) => {
    const { data, error, response } = await api.PATCH('/v1/restaurants/{restaurantId}/menu/items/{itemId}', { params: { path: { restaurantId, itemId } }, body });
    if (!data) return onError(error, response);
    onDone();
    await load();
  };
  const remove = async ({ itemId, name }: Item) => {
    if (!confirm(`Delete ${name} from the menu? Guests stop seeing it at once; past orders keep it. To take it off for a while, 86 it instead.`)) return;
    const { error, response } = await api.DELETE('/v1/restaurants/{restaurantId}/menu/items/{itemId}', { params: { path: { restaurantId, itemId } } });
    if (error) return onError(error, response);
    await load();
  };
  /** A menu file (the admin CLI's format): checked whole by the server; a refusal lists each bad row. */
  const importFile = async (file: File | undefined) => {
    if (!file) return;
    setImported(undefined);
    let parsed: unknown;
    try {
      parsed = JSON.parse(await file.text());
    } catch {
      return setImported({ text: `${file.name} is not JSON.`, issues: [] });
    }
    const { data, error, response } = await api.POST('/v1/restaurants/{restaurantId}/menu/import', { params: { path }, body: parsed as never });
    if (data) {
      setImported({ text: `Imported ${data.imported} dishes from ${file.name}.`, issues: [] });
      return load();
    }
    if (response.status === 401) return onError(error, response);
    const problem = problemOf(error);
    const rows = (parsed as { items?: { name?: string }[] }).items ?? [];
    const issues = ((problem?.details?.issues as { path: string; message: string }[] | undefined) ?? []).map(({ path: where, message }) => {
      const [, row, rest] = /^body\.items\.(\d+)\.?(.*)$/.exec(where) ?? [];
      return row === undefined ? `${where.replace(/^body\.?/, '') || 'file'}: ${message}` : `Row ${Number(row) + 1} (${rows[Number(row)]?.name || 'no name'}): ${rest || 'the row'} — ${message}`;
    });
    setImported({ text: problem?.message ?? 'The file was refused.', issues });
  };
  const field = (key: keyof typeof EMPTY, label: string, attributes: Record<string, unknown> = {}) => (
    <label>
      {label} <input value={draft[key]} onInput={(e) => setDraft({ ...draft, [key]: e.currentTarget.value })} {...attributes} />
    </label>
  );
  const setGroup = (index: number, change: Partial<GroupDraft>) => setGroups(groups.map((group, i) => (i === index ? { ...group, ...change } : group)));

  return (
    <section aria-label="Menu editor">
      <section aria-label="Import">
        <label>
          Import a menu file (JSON){' '}
          <input type="file" accept="application/json,.json" onChange={(e) => void importFile(e.currentTarget.files?.[0])} />
        </label>
        {imported && (
          <div role={imported.issues.length > 0 ? 'alert' : 'status'}>
            <p>{imported.text}</p>
            {imported.issues.length > 0 && (
              <ul aria-label="Rows refused">
                {imported.issues.map((issue) => (
                  <li key={issue}>{issue}</li>
                ))}
              </ul>
            )}
          </div>
        )}
      </section>
      <form aria-label={editing ? `Edit ${editing.name}` : 'New dish'} class="form" onSubmit={(event) => void save(event)}>
        <h2>{editing ? `Edit ${editing.name}` : 'New dish'}</h2>
        {field('name', 'Name', { required: true })}
        {field('category', 'Category', { required: true })}
        {field('price', 'Price', { required: true, inputMode: 'decimal' })}
        {field('station', 'Station', { required: true })}
        {field('description', 'Description')}
        {field('allergens', 'Allergens (comma-separated)')}
        {field('dietary', 'Dietary tags (comma-separated)')}
        {field('course', 'Course (0 = at once)', { type: 'number', min: 0, max: 9 })}
        {field('prepMinutes', 'Prep minutes', { type: 'number', min: 1, max: 240 })}
        {field('kitchenName', 'Kitchen name')}
        {languages.map((language) => (
          <label key={language}>
            Name in {languageName(language)} <input value={names[language] ?? ''} onInput={(e) => setNames({ ...names, [language]: e.currentTarget.value })} />
          </label>
        ))}
        {groups.map((group, index) => (
          <fieldset key={index}>
            <legend>Option group {index + 1}</legend>
            <label>
              Group name <input value={group.name} onInput={(e) => setGroup(index, { name: e.currentTarget.value })} required />
            </label>
            <label>
              At least <input type="number" min={0} value={group.minSelected} onInput={(e) => setGroup(index, { minSelected: Number(e.currentTarget.value) })} />
            </label>
            <label>
              At most <input type="number" min={1} value={group.maxSelected} onInput={(e) => setGroup(index, { maxSelected: Number(e.currentTarget.value) })} />
            </label>
            <label>
              Options (name and extra price, comma-separated) <input value={group.options} onInput={(e) => setGroup(index, { options: e.currentTarget.value })} required />
            </label>
          </fieldset>
        ))}
        <p class="actions">
          <button type="button" onClick={() => setGroups([...groups, { name: '', minSelected: 1, maxSelected: 1, options: '' }])}>
            Add option group
          </button>
          <button type="submit" class="primary">
            {editing ? 'Save dish' : 'Add dish'}
          </button>
          {editing && (
            <button
              type="button"
              onClick={() => {
                setEditing(undefined);
                setDraft(EMPTY);
                setGroups([]);
                setNames({});
              }}
            >
              Cancel
            </button>
          )}
        </p>
      </form>
      {[...new Set(items.map((item) => item.category))].map((category) => (
        <section key={category} aria-label={category}>
          <h2>{category}</h2>
          <ul class="rows">
            {items.filter((item) => item.category === category).map((item) => (
              <li key={item.itemId}>
                <strong>{item.name}</strong>
                <span>{money(item.priceCents)}</span>
                <span>{item.available ? 'on sale' : item.availableAgainAt ? `86 until ${new Date(item.availableAgainAt).toLocaleTimeString()}` : '86'}</span>
                {item.available ? (
                  <>
                    <button type="button" onClick={() => void patch(item.itemId, { available: false })}>
                      86 {item.name}
                    </button>
                    <label>
                      until{' '}
                      <input type="time" aria-label={`86 ${item.name} until`} value={until[item.itemId] ?? ''} onInput={(e) => setUntil({ ...until, [item.itemId]: e.currentTarget.value })} />
                    </label>
                    <button
                      type="button"
                      disabled={!until[item.itemId]}
                      onClick={() => {
                        const [hours, minutes] = (until[item.itemId] as string).split(':').map(Number);
                        const at = new Date();
                        at.setHours(hours as number, minutes as number, 0, 0);
                        if (at.getTime() <= Date.now()) at.setDate(at.getDate() + 1);
                        void patch(item.itemId, { available: false, availableAgainAt: at.toISOString() });
                      }}
                    >
                      86 {item.name} until then
                    </button>
                  </>
                ) : (
                  <button type="button" onClick={() => void patch(item.itemId, { available: true })}>
                    Back on {item.name}
                  </button>
                )}
                <button
                  type="button"
                  onClick={() => {
                    setEditing(item);
                    setDraft(draftOf(item));
                    setGroups(groupsOf(item));
                    setNames(namesOf(item));
                    scrollTo(0, 0);
                  }}
                >
                  Edit {item.name}
                </button>
                <button type="button" onClick={() => void remove(item)}>
                  Delete {item.name}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </section>
  );
}
