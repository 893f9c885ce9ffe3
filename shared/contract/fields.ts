import * as z from 'zod';
import { ROLES, SESSION_MODES } from '../core';

/**
 * The fields requests and responses share. Where the server normalises what it accepts (trims,
 * changes case), the schema says so in its description, so the OpenAPI document accepts exactly
 * what the server does.
 */

/** Free text that is trimmed before its bounds are checked; blank text is refused where a minimum is set. */
export const trimmed = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min)
    .max(max)
    .meta({ description: `Leading and trailing white space is removed; ${min > 0 ? `${min}–` : 'at most '}${max} characters after that.` });

export const Username = z
  .string()
  .regex(/^[A-Za-z0-9._-]{3,64}$/, 'Use 3 to 64 letters, digits, dots, dashes or underscores.')
  .meta({ description: 'Case-insensitive: stored and compared in lower case.' })
  .transform((username) => username.toLowerCase());

/** Bounded above so that nobody can make the server hash megabytes. */
export const Password = z.string().min(10, 'Use at least 10 characters.').max(128);

export const Station = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,32}$/, 'Use 1 to 32 letters, digits, dashes or underscores.')
  .meta({ description: 'A kitchen station, case-insensitive: stored and shown in upper case.' })
  .transform((station) => station.toUpperCase());

/** Table codes are 96 random bits (the contract asks for at least 64): unguessable from outside the room. */
export const TableCode = z.string().regex(/^[\w-]{16}$/);

/** A staff-issued, single-use proof for a guest to resume their identity: 8 of A–Z and 2–9 without look-alikes. */
export const REJOIN_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const RejoinCode = z
  .string()
  .regex(/^[A-HJKMNP-Za-hjkmnp-z2-9]{8}$/, 'A rejoin code is 8 letters and digits.')
  .meta({ description: 'Case-insensitive.' })
  .transform((code) => code.toUpperCase());

/** `Idempotency-Key`: 1–255 of A-Z a-z 0-9 _ - . : */
export const IdempotencyKey = z.string().regex(/^[A-Za-z0-9_.:-]{1,255}$/);

export const Role = z.enum(ROLES);
export const SessionMode = z.enum(SESSION_MODES);

/** `HELD`: a line of a course the floor has not fired yet (coursing only). */
export const LINE_STATUSES = ['HELD', 'QUEUED', 'IN_PROGRESS', 'READY', 'SERVED', 'CANCELLED'] as const;
export type LineStatus = (typeof LINE_STATUSES)[number];
export const LineStatus = z.enum(LINE_STATUSES);

export const ORDER_STATUSES = ['PLACED', 'IN_PROGRESS', 'READY', 'SERVED', 'CANCELLED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export const OrderStatus = z.enum(ORDER_STATUSES);

/** The allergens a menu item declares: the 14 of EU Regulation 1169/2011, Annex II. */
export const EU_ALLERGENS = [
  'gluten',
  'crustaceans',
  'eggs',
  'fish',
  'peanuts',
  'soy',
  'milk',
  'nuts',
  'celery',
  'mustard',
  'sesame',
  'sulphites',
  'lupin',
  'molluscs',
] as const;
export const Allergen = z.enum(EU_ALLERGENS);

/** Dietary tags a menu item may carry. */
export const DIETARY_TAGS = ['vegan', 'vegetarian', 'pescatarian', 'gluten-free', 'dairy-free', 'nut-free', 'halal', 'kosher', 'spicy'] as const;
export const DietaryTag = z.enum(DIETARY_TAGS);

/** A dish's course: 0 is served at once (drinks), 1 the first course, up to 9. */
export const Course = z.number().int().min(0).max(9);

/** What a guest asks the floor for. */
export const SERVICE_REQUEST_TYPES = ['CALL_WAITER', 'REQUEST_BILL'] as const;
export const ServiceRequestType = z.enum(SERVICE_REQUEST_TYPES);

/** A language of the menu: a lowercase BCP 47 tag of a language and an optional region. */
export const Language = z
  .string()
  .regex(/^[a-z]{2,3}(-[a-z0-9]{2,8})?$/, 'Use a lowercase language code such as de or pt-br.')
  .meta({ description: 'A lowercase BCP 47 language tag: `de`, `pt-br`.' });

/** ISO 8601 UTC, as `Date.toISOString()` writes it. */
export const Timestamp = z.iso.datetime();

/** Money: integer minor units of the restaurant's currency. */
export const Cents = z.number().int().min(0);

/** A page's continuation: pass it back as `cursor`; null on the last page. */
export const NextCursor = z.string().nullable();
export const Cursor = z.string().max(1024).meta({ description: 'The `nextCursor` of the previous page, as it was.' });
export const PageLimit = z.coerce.number().int().min(1).max(100).default(50);
