import { ulid } from 'ulid';
import type * as z from 'zod';
import type { OptionSelection } from '../contract/requests';
import type { ChosenOption as ChosenOptionSchema, OptionGroup as OptionGroupSchema } from '../contract/responses';
import { OptionUnavailableError, ValidationError } from '../errors';

export type OptionGroup = z.infer<typeof OptionGroupSchema>;
export type ChosenOption = z.infer<typeof ChosenOptionSchema>;
export type Selection = z.infer<typeof OptionSelection>;

/** Groups as staff wrote them, with the server's ids where they gave none. */
export function withIds(
  groups: readonly { groupId?: string; name: string; minSelected: number; maxSelected: number; options: { optionId?: string; name: string; priceDeltaCents: number; available: boolean }[] }[],
  now: Date,
): OptionGroup[] {
  return groups.map((group) => ({
    ...group,
    groupId: group.groupId ?? ulid(now.getTime()),
    options: group.options.map((option) => ({ ...option, optionId: option.optionId ?? ulid(now.getTime()) })),
  }));
}

/**
 * Checks a guest's choice against an item's option groups and returns the options as priced: every
 * group of the item between its minimum and maximum (a group left out counts as none chosen), only
 * its own options, each once. A broken rule is a 400 naming the group; an option that is not
 * available a 409 OPTION_UNAVAILABLE.
 */
export function chooseOptions(groups: readonly OptionGroup[], selection: Selection = [], where = 'body.options'): ChosenOption[] {
  const issues: { path: string; message: string }[] = [];
  const chosen: ChosenOption[] = [];
  const unavailable: string[] = [];
  selection.forEach((picked, i) => {
    if (!groups.some((group) => group.groupId === picked.groupId)) issues.push({ path: `${where}.${i}.groupId`, message: 'This item has no such option group.' });
    if (selection.findIndex((other) => other.groupId === picked.groupId) !== i) issues.push({ path: `${where}.${i}.groupId`, message: 'Choose each group once.' });
  });
  for (const group of groups) {
    const index = selection.findIndex((picked) => picked.groupId === group.groupId);
    const optionIds = index < 0 ? [] : (selection[index]?.optionIds ?? []);
    const path = index < 0 ? where : `${where}.${index}.optionIds`;
    if (optionIds.length < group.minSelected || optionIds.length > group.maxSelected) {
      const range = group.minSelected === group.maxSelected ? `${group.minSelected}` : `${group.minSelected} to ${group.maxSelected}`;
      issues.push({ path, message: `"${group.name}": choose ${range}.` });
    }
    if (new Set(optionIds).size !== optionIds.length) issues.push({ path, message: `"${group.name}": choose each option once.` });
    for (const optionId of new Set(optionIds)) {
      const option = group.options.find((candidate) => candidate.optionId === optionId);
      if (!option) {
        issues.push({ path, message: `"${group.name}" has no option ${optionId}.` });
        continue;
      }
      if (!option.available) unavailable.push(optionId);
      chosen.push({ groupId: group.groupId, groupName: group.name, optionId, name: option.name, priceDeltaCents: option.priceDeltaCents });
    }
  }
  if (issues.length > 0) throw new ValidationError(issues);
  if (unavailable.length > 0) throw new OptionUnavailableError(unavailable);
  return chosen;
}

/** A line's unit price: the item's price plus its options' deltas, never below 0. */
export const unitPrice = (basePriceCents: number, options: readonly Pick<ChosenOption, 'priceDeltaCents'>[]): number =>
  Math.max(0, basePriceCents + options.reduce((sum, option) => sum + option.priceDeltaCents, 0));

/** The selection a priced line was made from, to price it again against the menu as it is now. */
export const selectionOf = (options: readonly ChosenOption[]): Selection =>
  [...new Set(options.map((option) => option.groupId))].map((groupId) => ({
    groupId,
    optionIds: options.filter((option) => option.groupId === groupId).map((option) => option.optionId),
  }));
