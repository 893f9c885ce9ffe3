import * as z from 'zod';
import { Id } from '../core';
import { Allergen, Course, Cursor, DietaryTag, Language, LineStatus, PageLimit, ServiceRequestType, Password, RejoinCode, Role, SessionMode, Station, Timestamp, Username, trimmed } from './fields';

/** What clients send: every request body and query of the REST API. */

export const LoginBody = z.object({
  restaurantId: Id,
  username: Username,
  password: z.string().min(1).max(128),
  /** The device token an earlier login on this device returned: then only this device's own failures count. */
  deviceToken: z.string().min(1).max(128).optional(),
});

export const CreateStaffBody = z
  .object({
    username: Username,
    password: Password,
    role: Role,
    station: Station.nullish().meta({ description: 'The station a KITCHEN account follows; other roles have none.' }),
  })
  .refine((body) => body.station == null || body.role === 'KITCHEN', { message: 'Only KITCHEN accounts have a station.', path: ['station'] });

export const CreateTableBody = z.object({ name: trimmed(1, 40) });

const EU_ALLERGEN_COUNT = 14;

/** An option of a group as staff write it; the server makes `optionId` when it is absent. */
const OptionInput = z.strictObject({
  optionId: Id.optional(),
  name: trimmed(1, 60),
  /** Added to the item's price; may be 0 or negative, but a line's unit price never goes below 0. */
  priceDeltaCents: z.number().int().min(-100_000).max(100_000),
  available: z.boolean().default(true),
});

/** A group of options a guest chooses from (doneness, sides, extras), `minSelected` to `maxSelected` of them. */
const OptionGroupInput = z
  .strictObject({
    groupId: Id.optional(),
    name: trimmed(1, 60),
    minSelected: z.number().int().min(0).max(20),
    maxSelected: z.number().int().min(1).max(20),
    options: z.array(OptionInput).min(1).max(20),
  })
  .superRefine((group, ctx) => {
    if (group.minSelected > group.maxSelected) {
      ctx.addIssue({ code: 'custom', path: ['minSelected'], message: `minSelected (${group.minSelected}) is above maxSelected (${group.maxSelected}).` });
    }
    if (group.maxSelected > group.options.length) {
      ctx.addIssue({ code: 'custom', path: ['maxSelected'], message: `maxSelected is ${group.maxSelected} but "${group.name}" has ${group.options.length} options.` });
    }
    const ids = group.options.flatMap((option) => (option.optionId ? [option.optionId] : []));
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', path: ['options'], message: `An optionId repeats in "${group.name}".` });
  });

const OptionGroups = z
  .array(OptionGroupInput)
  .max(10)
  .refine((groups) => {
    const ids = groups.flatMap((group) => (group.groupId ? [group.groupId] : []));
    return new Set(ids).size === ids.length;
  }, 'A groupId repeats.');

/** What an item says in another of the restaurant's languages; what is absent falls back to the menu's own language. */
const Translation = z.strictObject({ name: trimmed(1, 120).optional(), description: trimmed(0, 500).nullable().optional(), category: trimmed(1, 60).optional() });
const MAX_LANGUAGES = 10;

const menuItemFields = {
  name: trimmed(1, 120),
  description: trimmed(0, 500).nullable(),
  category: trimmed(1, 60),
  priceCents: z.number().int().min(0).max(1_000_000),
  station: Station,
  available: z.boolean(),
  allergens: z.array(Allergen).max(EU_ALLERGEN_COUNT),
  dietary: z.array(DietaryTag).max(10),
  course: Course,
  /** Minutes the kitchen needs for it: tickets are due this long after their course is fired. */
  prepMinutes: z.number().int().min(1).max(240).nullable(),
  /** What the kitchen sees instead of `name`. */
  kitchenName: trimmed(1, 60).nullable(),
  optionGroups: OptionGroups,
  /** By language: only the restaurant's `languages` other than its first (the menu's own). */
  translations: z
    .record(Language, Translation)
    .refine((translations) => Object.keys(translations).length <= MAX_LANGUAGES, `At most ${MAX_LANGUAGES} languages.`),
  /** A timed 86: the item is unavailable until then and comes back by itself (up to 30 days ahead). */
  availableAgainAt: Timestamp.nullable(),
};

/** A timed 86 is an 86: it cannot come with `available: true`. */
const notBackWhileAvailable = (item: { available?: boolean; availableAgainAt?: string | null }) => !(item.available === true && item.availableAgainAt);
const BACK_WHILE_AVAILABLE = { message: 'availableAgainAt ends an 86: send it with available false or without available.', path: ['availableAgainAt'] };

/** Each value at most once. */
const distinct = <T extends z.ZodArray<z.ZodType<string>>>(list: T) =>
  list.refine((values) => new Set(values).size === values.length, { message: 'Name each value once.' });

/** A new menu item: `available` defaults to true (false with `availableAgainAt`), `allergens` and `dietary` to none, `course` to 0. Prices are integer cents. */
export const CreateMenuItemBody = z
  .strictObject({
    ...menuItemFields,
    description: menuItemFields.description.optional(),
    available: menuItemFields.available.optional(),
    allergens: distinct(menuItemFields.allergens).default([]),
    dietary: distinct(menuItemFields.dietary).default([]),
    course: menuItemFields.course.default(0),
    prepMinutes: menuItemFields.prepMinutes.default(null),
    kitchenName: menuItemFields.kitchenName.default(null),
    optionGroups: menuItemFields.optionGroups.default([]),
    translations: menuItemFields.translations.default({}),
    availableAgainAt: menuItemFields.availableAgainAt.default(null),
  })
  .refine(notBackWhileAvailable, BACK_WHILE_AVAILABLE)
  .transform(({ available, ...item }) => ({ ...item, available: available ?? !item.availableAgainAt }));

export const UpdateMenuItemBody = z
  .strictObject({ ...menuItemFields, allergens: distinct(menuItemFields.allergens), dietary: distinct(menuItemFields.dietary) })
  .partial()
  .refine((changes) => Object.keys(changes).length > 0, { message: 'Change at least one field.' })
  .refine(notBackWhileAvailable, BACK_WHILE_AVAILABLE)
  .meta({ description: 'Any subset of the fields, at least one.', minProperties: 1 });

/** A restaurant's languages: its menu's own first, then those items may be translated into. */
export const Languages = distinct(z.array(Language).min(1).max(MAX_LANGUAGES));

/** The restaurant's settings; `languages` lists the menu's own language first, then those items may be translated into. */
export const UpdateRestaurantBody = z
  .strictObject({
    name: trimmed(1, 120),
    maxGuestsPerSession: z.number().int().min(1).max(100),
    /** Courses: order lines of a course above 1 wait (`HELD`) until the floor fires their course. */
    coursing: z.boolean(),
    /** The prep time of items that give none: tickets are due this long after their course is fired. */
    defaultPrepMinutes: z.number().int().min(1).max(240).nullable(),
    /** How long before a ticket is due the kitchen display marks it "due soon". */
    dueSoonMinutes: z.number().int().min(1).max(60),
    languages: Languages,
  })
  .partial()
  .refine((changes) => Object.keys(changes).length > 0, { message: 'Change at least one setting.' })
  .meta({ description: 'Any subset of the settings, at least one.', minProperties: 1 });

export const MenuQuery = z.object({ lang: Language.optional().meta({ description: 'Names and descriptions in this language where a translation exists.' }) });

export const OpenSessionBody = z.object({ mode: SessionMode });
export const MoveSessionBody = z.object({ tableId: Id });
export const ListSessionsQuery = z.object({ status: z.literal('OPEN').default('OPEN') });

/** Joining, or resuming as `guestId` with proof: that guest's `resumeSecret` or a staff-issued `rejoinCode`. */
export const JoinBody = z
  .object({
    // Any string up to the bound: a malformed code is an unknown code, and counts as a failure.
    tableCode: z.string().min(1).max(64),
    pin: z.string().regex(/^\d{4,8}$/, 'The PIN is 4 to 8 digits.'),
    guestName: trimmed(1, 40).optional(),
    guestId: Id.optional(),
    resumeSecret: z.string().min(1).max(128).optional(),
    rejoinCode: RejoinCode.optional(),
  })
  .refine((body) => body.guestId !== undefined || (body.resumeSecret === undefined && body.rejoinCode === undefined), {
    message: 'A resumeSecret or rejoinCode proves a guestId: send it with one.',
    path: ['guestId'],
  });

const Quantity = z.number().int().min(1).max(50);
const Notes = trimmed(0, 200).nullable();

/** The options a guest chose, by group: checked against the item's groups when the line is added or changed. */
export const OptionSelection = z.array(z.strictObject({ groupId: Id, optionIds: z.array(Id).max(20) })).max(10);

/** Only what a guest may choose: the item, how many, its options, and notes. Prices always come from the menu. */
export const AddLineBody = z.strictObject({ itemId: Id, quantity: Quantity, notes: Notes.optional(), options: OptionSelection.optional() });
export const UpdateLineBody = z
  .strictObject({ quantity: z.number().int().min(0).max(50).optional(), notes: Notes.optional(), options: OptionSelection.optional() })
  .refine((body) => body.quantity !== undefined || body.notes !== undefined || body.options !== undefined, { message: 'Change quantity, notes or options.' })
  .meta({ description: 'Quantity, notes, options or several; quantity 0 removes the line.', minProperties: 1 });

/** A guest calls the waiter or asks for the bill; one open request per type per session. */
export const ServiceRequestBody = z.strictObject({ type: ServiceRequestType, note: trimmed(0, 200).optional() });
export const ServiceRequestsQuery = z.object({ status: z.literal('OPEN').default('OPEN') });

export const PlaceOrderBody = z.strictObject({ cartVersion: z.number().int().min(0) });

export const TicketsQuery = z.object({ station: Station.optional(), limit: PageLimit, cursor: Cursor.optional() });
export const AllDayQuery = z.object({ station: Station.optional() });
/** Bump a ticket: every line of it (of `station`) still before `to` goes there. */
export const BumpBody = z.strictObject({ to: z.enum(['READY', 'SERVED']), station: Station.optional() });
/** Fire a course: its held lines and those of earlier courses go to the kitchen. */
export const FireBody = z.strictObject({ course: Course.min(1) });
export const LineStatusBody = z.strictObject({ status: LineStatus });

export const AuditQuery = z.object({
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
  limit: PageLimit,
  cursor: Cursor.optional(),
});

/** A whole menu file: validated entirely before anything is written. */
export const MenuFile = z.strictObject({
  /** The file's languages, its own first: the restaurant gains those it lacks, so the items' translations into them are served. */
  languages: Languages.optional(),
  items: z.array(CreateMenuItemBody).min(1).max(2000),
});
