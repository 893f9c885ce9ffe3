import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLOW, join, seated, startWebStack } from './support/web-stack';
import type { WebStack } from './support/web-stack';

/** Getting in and out, as the guest sees it: wrong PINs, a blocked phone, a guarded table, a closed one. */
let stack: WebStack;
beforeAll(async () => {
  // A short block and a low guard threshold, so the test sees both end to end.
  stack = await startWebStack({ PIN_LOCKOUT_SECONDS: '4', PIN_GUARD_FAILURES: '6' });
});
afterAll(async () => stack?.close());

const wrongPin = (pin: string, by: number) => String((Number(pin) + by) % 10 ** pin.length).padStart(pin.length, '0');
const alerts = (page: Awaited<ReturnType<WebStack['phone']>>) => page.getByRole('alert').allInnerTexts();

describe('joining a table in the guest app', () => {
  it('says when the QR code is missing or no longer in use', async () => {
    const page = await stack.phone('not-a-table-code');
    await expect.poll(() => alerts(page), SLOW).toEqual(['This QR code is not in use any more. Ask the staff for help.']);
    await page.goto(`${stack.app.url}/t`);
    await expect.poll(() => alerts(page), SLOW).toEqual(['Scan the QR code on your table to order.']);
  });

  it('counts down wrong PINs, shows a blocked phone its countdown from Retry-After, and lets it in with the PIN afterwards', async () => {
    const { tableCode, pin } = await stack.restaurantWithTable();
    const page = await stack.phone(tableCode);
    await join(page, wrongPin(pin, 1));
    await expect.poll(() => alerts(page), SLOW).toEqual([expect.stringMatching(/^Wrong PIN\. 4 attempts left\.$/)]);
    for (let by = 2; by <= 5; by++) {
      await join(page, wrongPin(pin, by));
      await expect.poll(() => alerts(page), SLOW).toEqual([by < 5 ? expect.stringMatching(new RegExp(`${5 - by} attempts? left`)) : expect.stringMatching(/No attempts left/)]);
    }
    // Blocked, even with the right PIN: the button waits, the countdown runs down, then the right PIN gets in.
    await join(page, pin);
    await expect.poll(() => alerts(page), SLOW).toEqual([expect.stringMatching(/^Too many wrong PINs\. Try again in \d s\.$/)]);
    expect(await page.getByRole('button', { name: 'Join' }).isDisabled()).toBe(true);
    const first = Number(/in (\d+) s/.exec((await alerts(page))[0] ?? '')?.[1]);
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThanOrEqual(4);
    await expect.poll(() => page.getByRole('button', { name: 'Join' }).isEnabled(), { timeout: 8000 }).toBe(true);
    await join(page, pin);
    await seated(page);
  });

  it('in a guarded session, waits for the table: a table-mate lets one newcomer in and declines another', async () => {
    const { tableCode, pin } = await stack.restaurantWithTable();
    const mate = await stack.phone(tableCode);
    await join(mate, pin, 'Mate');
    await seated(mate);
    // Six wrong PINs from six addresses: no source is blocked, the session is guarded.
    for (let i = 1; i <= 6; i++) {
      const answer = await stack.api('POST', '/v1/sessions/join', { body: { tableCode, pin: wrongPin(pin, i) }, ip: `198.18.${randomInt(0, 256)}.${i}` });
      expect([401, 202]).toContain(answer.status);
    }

    const newcomer = await stack.phone(tableCode);
    await join(newcomer, pin, 'Newbie');
    await expect.poll(() => newcomer.getByRole('status').allInnerTexts(), SLOW).toEqual(['Waiting for your table to let you in…']);
    const request = mate.getByRole('group', { name: 'Newbie wants to join your table.' });
    await expect.poll(() => request.count(), SLOW).toBe(1);
    await request.getByRole('button', { name: 'Let in' }).click();
    await seated(newcomer);
    await expect.poll(() => request.count(), SLOW).toBe(0);

    const stranger = await stack.phone(tableCode);
    await join(stranger, pin, 'Stranger');
    await expect.poll(() => stranger.getByRole('status').allInnerTexts(), SLOW).toEqual(['Waiting for your table to let you in…']);
    await mate.getByRole('group', { name: 'Stranger wants to join your table.' }).getByRole('button', { name: 'Decline' }).click();
    await expect.poll(() => alerts(stranger), SLOW).toEqual(['Your table did not let you in. Ask your waiter.']);
  });

  it('shows the closed screen when the waiter closes the table, the removed screen to a removed guest, and asks for the waiter afterwards', async () => {
    const { restaurant, tableCode, pin, session } = await stack.restaurantWithTable();
    const [stays, goes] = [await stack.phone(tableCode), await stack.phone(tableCode)];
    await join(stays, pin, 'Stays');
    await join(goes, pin, 'Goes');
    await seated(stays);
    await seated(goes);
    const guestId = await goes.evaluate((key) => (JSON.parse(localStorage.getItem(key) as string) as { guestId: string }).guestId, `seat:${tableCode}`);
    await stack.api('DELETE', `/v1/restaurants/${restaurant.restaurantId}/sessions/${session.sessionId}/guests/${guestId}`, { token: restaurant.ownerToken });
    await expect.poll(() => goes.locator('main').innerText(), SLOW).toContain('You were removed from this table.');

    await stack.api('POST', `/v1/restaurants/${restaurant.restaurantId}/sessions/${session.sessionId}/close`, { token: restaurant.ownerToken });
    await expect.poll(() => stays.getByRole('region', { name: 'Thank you!' }).innerText(), SLOW).toContain('This table is closed.');
    // Nothing of the visit is kept: the next scan asks for the PIN, and a table that is not open says so.
    await stays.reload();
    await join(stays, pin);
    await expect.poll(() => alerts(stays), SLOW).toEqual(['This table is not open yet. Ask your waiter.']);
  });
});
