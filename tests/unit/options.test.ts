import { describe, expect, it } from 'vitest';
import { chooseOptions, selectionOf, unitPrice, withIds } from '../../shared/menu/options';
import { CreateMenuItemBody } from '../../shared/contract/requests';
import { OptionUnavailableError, ValidationError } from '../../shared/errors';

const groups = withIds(
  [
    { groupId: 'doneness', name: 'Doneness', minSelected: 1, maxSelected: 1, options: [
      { optionId: 'rare', name: 'Rare', priceDeltaCents: 0, available: true },
      { optionId: 'medium-rare', name: 'Medium rare', priceDeltaCents: 0, available: true },
    ] },
    { groupId: 'side', name: 'Side', minSelected: 0, maxSelected: 1, options: [
      { optionId: 'fries', name: 'Fries', priceDeltaCents: 0, available: true },
      { optionId: 'truffle-fries', name: 'Truffle fries', priceDeltaCents: 350, available: false },
    ] },
    { groupId: 'extras', name: 'Extras', minSelected: 0, maxSelected: 2, options: [
      { optionId: 'cheese', name: 'Extra cheese', priceDeltaCents: 150, available: true },
      { optionId: 'no-sauce', name: 'No sauce', priceDeltaCents: -200, available: true },
      { name: 'Bacon', priceDeltaCents: 250, available: true },
    ] },
  ],
  new Date(),
);

const issuesOf = (run: () => unknown): string[] => {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return (error.details.issues as { message: string }[]).map((issue) => issue.message);
    throw error;
  }
  return [];
};

describe('option choices', () => {
  it('prices a line as the base plus the deltas of what was chosen, never below 0', () => {
    const chosen = chooseOptions(groups, [
      { groupId: 'doneness', optionIds: ['medium-rare'] },
      { groupId: 'side', optionIds: ['fries'] },
      { groupId: 'extras', optionIds: ['cheese'] },
    ]);
    expect(chosen.map((option) => `${option.groupName}: ${option.name}`)).toEqual(['Doneness: Medium rare', 'Side: Fries', 'Extras: Extra cheese']);
    expect(unitPrice(2450, chosen)).toBe(2600);
    const cheaper = chooseOptions(groups, [{ groupId: 'doneness', optionIds: ['rare'] }, { groupId: 'extras', optionIds: ['no-sauce'] }]);
    expect(unitPrice(2450, cheaper)).toBe(2250);
    expect(unitPrice(100, cheaper)).toBe(0);
    expect(selectionOf(chosen)).toEqual([
      { groupId: 'doneness', optionIds: ['medium-rare'] },
      { groupId: 'side', optionIds: ['fries'] },
      { groupId: 'extras', optionIds: ['cheese'] },
    ]);
  });

  it('names the group for every broken rule', () => {
    expect(issuesOf(() => chooseOptions(groups, []))).toEqual(['"Doneness": choose 1.']);
    expect(issuesOf(() => chooseOptions(groups, [{ groupId: 'doneness', optionIds: ['rare', 'medium-rare'] }]))).toEqual(['"Doneness": choose 1.']);
    expect(issuesOf(() => chooseOptions(groups, [{ groupId: 'doneness', optionIds: ['rare'] }, { groupId: 'extras', optionIds: ['cheese', 'cheese'] }]))).toEqual([
      '"Extras": choose each option once.',
    ]);
    expect(issuesOf(() => chooseOptions(groups, [{ groupId: 'doneness', optionIds: ['well-done'] }]))).toEqual(['"Doneness" has no option well-done.']);
    expect(issuesOf(() => chooseOptions(groups, [{ groupId: 'doneness', optionIds: ['rare'] }, { groupId: 'sauce', optionIds: [] }]))).toEqual([
      'This item has no such option group.',
    ]);
    expect(issuesOf(() => chooseOptions(groups, [{ groupId: 'doneness', optionIds: ['rare'] }, { groupId: 'doneness', optionIds: ['rare'] }]))).toContain('Choose each group once.');
  });

  it('refuses an option that is not available with 409 OPTION_UNAVAILABLE naming it', () => {
    const refused = (() => {
      try {
        chooseOptions(groups, [{ groupId: 'doneness', optionIds: ['rare'] }, { groupId: 'side', optionIds: ['truffle-fries'] }]);
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(OptionUnavailableError);
    expect(refused).toMatchObject({ status: 409, code: 'OPTION_UNAVAILABLE', details: { optionIds: ['truffle-fries'] } });
  });

  it('gives options without ids server-made ones, and keeps the ones staff gave', () => {
    const bacon = groups[2]?.options[2];
    expect(bacon?.optionId).toMatch(/^[0-9A-Z]{26}$/);
    expect(groups[0]?.groupId).toBe('doneness');
  });
});

describe('option groups as staff write them', () => {
  const item = (optionGroups: unknown) => CreateMenuItemBody.safeParse({ name: 'Steak', category: 'Mains', priceCents: 2450, station: 'GRILL', optionGroups });
  const group = { name: 'Doneness', minSelected: 1, maxSelected: 1, options: [{ name: 'Rare', priceDeltaCents: 0 }] };

  it('refuses a minimum above the maximum, or a maximum above the options, with a clear message', () => {
    expect(item([group]).success).toBe(true);
    expect(item([{ ...group, minSelected: 2, maxSelected: 1 }]).error?.issues.map((issue) => issue.message)).toContain('minSelected (2) is above maxSelected (1).');
    expect(item([{ ...group, maxSelected: 2 }]).error?.issues.map((issue) => issue.message)).toContain('maxSelected is 2 but "Doneness" has 1 options.');
    expect(item([{ ...group, options: [] }]).success).toBe(false);
    expect(item([{ ...group, groupId: 'g' }, { ...group, groupId: 'g' }]).success).toBe(false);
    expect(item([{ ...group, options: [{ name: 'Rare', priceDeltaCents: 1.5 }] }]).success).toBe(false);
  });
});
