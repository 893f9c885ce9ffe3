/// <reference lib="dom" />
import AxeBuilder from '@axe-core/playwright';
import jsQR from 'jsqr';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLOW, join, seated, startWebStack } from './support/web-stack';
import type { WebStack } from './support/web-stack';

/** The back office in a real Chromium: the menu editor as the guests' phones see it, the QR print view, staff, settings, the audit log. */
let stack: WebStack;
beforeAll(async () => {
  stack = await startWebStack();
});
afterAll(async () => stack?.close());

async function seriousViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Answers the page's next confirm() with yes or no, and resolves with what it asked. */
function answerNextDialog(page: Page, accept: boolean): Promise<string> {
  return new Promise((resolve) =>
    page.once('dialog', (dialog) => {
      resolve(dialog.message());
      void (accept ? dialog.accept() : dialog.dismiss());
    }),
  );
}

describe('the back office', () => {
  it('adds a dish with a required option group that guests see live, and an 86 until a time that ends by itself', async () => {
    const { restaurant, tableCode, pin } = await stack.restaurantWithTable();
    await stack.api('PATCH', `/v1/restaurants/${restaurant.restaurantId}`, { token: restaurant.ownerToken, body: { languages: ['en', 'de'] } });
    const manager = await stack.hire(restaurant, 'MANAGER');
    const screen = await stack.staffScreen(restaurant.restaurantId, manager, { viewport: { width: 1280, height: 900 } });
    await screen.getByRole('button', { name: 'Back office' }).click();
    const phone = await stack.phone(tableCode);
    await join(phone, pin);
    await seated(phone);

    const form = screen.getByRole('form', { name: 'New dish' });
    await form.getByLabel('Name', { exact: true }).fill('Schnitzel');
    await form.getByLabel('Category').fill('Mains');
    await form.getByLabel('Price', { exact: true }).fill('18.50');
    await form.getByLabel('Station', { exact: true }).fill('GRILL');
    await form.getByLabel('Allergens (comma-separated)').fill('gluten, eggs');
    await form.getByLabel('Name in German').fill('Wiener Schnitzel');
    await form.getByRole('button', { name: 'Add option group' }).click();
    await form.getByLabel('Group name').fill('Side');
    await form.getByLabel(/^Options/).fill('Fries, Salad 1.00');
    expect(await seriousViolations(screen)).toEqual([]);
    await form.getByRole('button', { name: 'Add dish' }).click();
    await expect.poll(() => screen.getByRole('region', { name: 'Mains' }).innerText(), SLOW).toContain('Schnitzel');

    const german = (await stack.api('GET', `/v1/restaurants/${restaurant.restaurantId}/menu?lang=de`)).body.categories.flatMap((c: { items: { name: string }[] }) => c.items);
    expect(german.map((item: { name: string }) => item.name)).toContain('Wiener Schnitzel');

    // The guest's phone hears of the new dish and shows it; its side must be chosen.
    await expect.poll(() => phone.getByRole('button', { name: /^Schnitzel\b/ }).count(), SLOW).toBe(1);
    await phone.getByRole('button', { name: /^Schnitzel\b/ }).click();
    const dialog = phone.getByRole('dialog', { name: 'Schnitzel' });
    expect(await dialog.getByRole('button', { name: /^Add to order/ }).isDisabled()).toBe(true);
    await dialog.getByLabel('Salad').check();
    expect(await dialog.getByRole('button', { name: /^Add to order/ }).innerText()).toContain('€19.50');
    await dialog.getByRole('button', { name: 'Close' }).click();

    // Edited: a new price, the side's ids kept (the same options, found again by name).
    const sideBefore = (await stack.api('GET', `/v1/restaurants/${restaurant.restaurantId}/menu`)).body.categories[0].items.find((item: { name: string }) => item.name === 'Schnitzel').optionGroups;
    await screen.getByRole('button', { name: 'Edit Schnitzel' }).click();
    const editForm = screen.getByRole('form', { name: 'Edit Schnitzel' });
    expect(await editForm.getByLabel(/^Options/).inputValue()).toBe('Fries, Salad 1.00');
    await editForm.getByLabel('Price', { exact: true }).fill('19.00');
    await editForm.getByRole('button', { name: 'Save dish' }).click();
    await expect.poll(() => screen.getByRole('region', { name: 'Mains' }).innerText(), SLOW).toMatch(/Schnitzel\s+19\.00/);
    const edited = (await stack.api('GET', `/v1/restaurants/${restaurant.restaurantId}/menu`)).body.categories[0].items.find((item: { name: string }) => item.name === 'Schnitzel');
    expect(edited.priceCents).toBe(1900);
    expect(edited.optionGroups).toEqual(sideBefore);

    // 86 until a minute from now: greyed out on the phone, back by itself.
    const back = new Date(Date.now() + 65_000);
    const hhmm = `${String(back.getHours()).padStart(2, '0')}:${String(back.getMinutes()).padStart(2, '0')}`;
    await screen.getByLabel('86 Schnitzel until', { exact: true }).fill(hhmm);
    await screen.getByRole('button', { name: '86 Schnitzel until then' }).click();
    await expect.poll(() => phone.getByRole('button', { name: /^Schnitzel\b/ }).isDisabled(), SLOW).toBe(true);
    await expect.poll(() => phone.getByRole('button', { name: /^Schnitzel\b/ }).innerText(), SLOW).toMatch(/Sold out until/);
    await expect.poll(() => phone.getByRole('button', { name: /^Schnitzel\b/ }).isEnabled(), { timeout: 90_000, interval: 1000 }).toBe(true);
  }, 150_000);

  it('imports a menu file, and shows each refused row with its field when one is wrong (nothing written)', async () => {
    const { restaurant } = await stack.restaurantWithTable();
    const manager = await stack.hire(restaurant, 'MANAGER');
    const screen = await stack.staffScreen(restaurant.restaurantId, manager, { viewport: { width: 1280, height: 900 } });
    await screen.getByRole('button', { name: 'Back office' }).click();
    const upload = screen.getByLabel('Import a menu file (JSON)');
    const file = (items: unknown[]) => ({ name: 'menu.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ items })) });
    const dish = (name: string, priceCents: number) => ({ name, category: 'Imported', priceCents, station: 'GRILL' });

    await upload.setInputFiles(file([dish('Good soup', 500), dish('Free lunch', -1), dish('Pricy', 1.5)]));
    const refused = screen.getByRole('list', { name: 'Rows refused' });
    await expect.poll(() => refused.innerText(), SLOW).toMatch(/Row 2 \(Free lunch\): priceCents/);
    expect(await refused.innerText()).toMatch(/Row 3 \(Pricy\): priceCents/);
    expect(await screen.getByRole('region', { name: 'Imported' }).count()).toBe(0);
    expect(await seriousViolations(screen)).toEqual([]);

    await upload.setInputFiles(file([dish('Good soup', 500), dish('Fair lunch', 900)]));
    await expect.poll(() => screen.getByRole('status').allInnerTexts(), SLOW).toContain('Imported 2 dishes from menu.json.');
    await expect.poll(() => screen.getByRole('region', { name: 'Imported' }).innerText(), SLOW).toMatch(/Good soup[\s\S]*Fair lunch/);

    // Deleting a dish cannot be undone: the editor asks first, and a "no" changes nothing.
    const dishes = screen.getByRole('region', { name: 'Imported' });
    const asked = answerNextDialog(screen, false);
    await dishes.getByRole('button', { name: 'Delete Fair lunch' }).click();
    expect(await asked).toMatch(/^Delete Fair lunch from the menu\?/);
    expect(await dishes.getByRole('button', { name: 'Delete Fair lunch' }).count()).toBe(1);
    void answerNextDialog(screen, true);
    await dishes.getByRole('button', { name: 'Delete Fair lunch' }).click();
    await expect.poll(() => dishes.innerText(), SLOW).not.toContain('Fair lunch');
  });

  it('prints every table\'s QR code with its name, each decoding to that table\'s order URL', async () => {
    const { restaurant } = await stack.restaurantWithTable();
    for (const name of ['Terrace', 'Bar']) await stack.api('POST', `/v1/restaurants/${restaurant.restaurantId}/tables`, { token: restaurant.ownerToken, body: { name } });
    const tables = (await stack.api('GET', `/v1/restaurants/${restaurant.restaurantId}/tables`, { token: restaurant.ownerToken })).body.tables as { name: string; orderUrl: string }[];
    const manager = await stack.hire(restaurant, 'MANAGER');
    const screen = await stack.staffScreen(restaurant.restaurantId, manager, { viewport: { width: 1280, height: 900 } });
    await screen.getByRole('button', { name: 'Back office' }).click();
    await screen.getByRole('button', { name: 'Tables' }).click();
    await screen.getByRole('button', { name: 'Print view' }).click();
    const sheet = screen.getByRole('region', { name: 'QR codes to print' });
    await expect.poll(() => sheet.getByRole('img').count(), SLOW).toBe(3);
    expect(await seriousViolations(screen)).toEqual([]);
    await screen.emulateMedia({ media: 'print' });
    await screen.screenshot({ path: new URL('../../web/screenshots/staff-qr-print.png', import.meta.url).pathname });
    for (const table of tables) {
      const image = sheet.getByRole('img', { name: `QR code of ${table.name}` });
      // Drawn as the printer gets it, then read back the way a phone's camera reads it.
      const pixels = await image.evaluate(async (img: HTMLImageElement) => {
        await img.decode();
        const canvas = document.createElement('canvas');
        canvas.width = 400;
        canvas.height = 400;
        const context = canvas.getContext('2d') as CanvasRenderingContext2D;
        context.fillStyle = '#fff';
        context.fillRect(0, 0, 400, 400);
        context.drawImage(img, 0, 0, 400, 400);
        return Array.from(context.getImageData(0, 0, 400, 400).data);
      });
      expect(jsQR(Uint8ClampedArray.from(pixels), 400, 400)?.data, table.name).toBe(table.orderUrl);
    }

    // A new code breaks the printed one at once: the back office asks first, and a "no" keeps the code.
    await screen.emulateMedia({ media: 'screen' });
    await screen.getByRole('button', { name: 'Back', exact: true }).click();
    const bar = tables.find((table) => table.name === 'Bar') as { orderUrl: string };
    const orderUrls = () => screen.getByRole('region', { name: 'Tables' }).getByRole('link', { name: /\/t\?t=/ }).allInnerTexts();
    await expect.poll(orderUrls, SLOW).toContain(bar.orderUrl);
    const asked = answerNextDialog(screen, false);
    await screen.getByRole('button', { name: 'New code for Bar' }).click();
    expect(await asked).toMatch(/^Give Bar a new code\? Its printed QR code stops working/);
    expect(await orderUrls()).toContain(bar.orderUrl);
    void answerNextDialog(screen, true);
    await screen.getByRole('button', { name: 'New code for Bar' }).click();
    await expect.poll(orderUrls, SLOW).not.toContain(bar.orderUrl);
  });

  it('creates, unlocks and deletes staff, saves settings and lists the audit log, showing the server\'s own message when it refuses', async () => {
    const { restaurant } = await stack.restaurantWithTable();
    const manager = await stack.hire(restaurant, 'MANAGER');
    const screen = await stack.staffScreen(restaurant.restaurantId, manager, { viewport: { width: 1280, height: 900 } });
    await screen.getByRole('button', { name: 'Back office' }).click();
    await screen.getByRole('button', { name: 'Staff' }).click();
    const staff = screen.getByRole('region', { name: 'Staff' });
    // The sign-in link for a new device names the restaurant, even on a device last signed in to another one.
    const link = (await staff.getByRole('link', { name: /\/staff\/\?r=/ }).getAttribute('href')) as string;
    expect(link).toBe(`${stack.app.url}/staff/?r=${restaurant.restaurantId}`);
    const device = await (await stack.browser.newContext()).newPage();
    await device.goto(`${stack.app.url}/staff/`);
    await device.evaluate(() => localStorage.setItem('restaurant', 'ANOTHER-RESTAURANT'));
    await device.goto(link);
    expect(await device.getByLabel('Restaurant').inputValue()).toBe(restaurant.restaurantId);
    await device.context().close();

    await staff.getByLabel('Username').fill('new-cook');
    await staff.getByLabel('Password').fill('short');
    await staff.getByLabel('Role').selectOption('KITCHEN');
    await staff.getByRole('button', { name: 'Create account' }).click();
    // The server's own words for a password it refuses.
    await expect.poll(() => screen.getByRole('alert').count(), SLOW).toBe(1);
    expect((await screen.getByRole('alert').innerText()).length).toBeGreaterThan(0);
    await staff.getByLabel('Password').fill('a long enough password 1');
    await staff.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => staff.innerText(), SLOW).toContain('new-cook');
    expect(await seriousViolations(screen)).toEqual([]);
    await staff.getByRole('button', { name: 'Unlock new-cook' }).click();
    const asked = answerNextDialog(screen, false);
    await staff.getByRole('button', { name: 'Delete new-cook' }).click();
    expect(await asked).toBe('Delete new-cook? Their screens are signed out at once.');
    expect(await staff.innerText()).toContain('new-cook');
    void answerNextDialog(screen, true);
    await staff.getByRole('button', { name: 'Delete new-cook' }).click();
    await expect.poll(() => staff.innerText(), SLOW).not.toContain('new-cook');

    await screen.getByRole('button', { name: 'Settings' }).click();
    const settings = screen.getByRole('form', { name: 'Settings' });
    await settings.getByLabel('Name').fill('Renamed Bistro');
    await settings.getByLabel(/^Due soon/).fill('4');
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => settings.getByRole('status').count(), SLOW).toBe(1);
    expect(await seriousViolations(screen)).toEqual([]);
    expect((await stack.api('GET', `/v1/restaurants/${restaurant.restaurantId}`, { token: restaurant.ownerToken })).body).toMatchObject({ name: 'Renamed Bistro', dueSoonMinutes: 4 });

    await screen.getByRole('button', { name: 'Audit log' }).click();
    const audit = screen.getByRole('region', { name: 'Audit log' });
    await expect.poll(() => audit.getByRole('row').count(), SLOW).toBeGreaterThan(3);
    expect(await seriousViolations(screen)).toEqual([]);
  });
});
