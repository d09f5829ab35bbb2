import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newPage, pdfPages, screenshot, startServer, type E2eServer } from './helpers/browser.ts';

/** A named craftsman's certificate, printed from the public named list of the demo's finished selection. */
let server: E2eServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('a craftsman’s title certificate', () => {
  it('prints on one A4 landscape page with the name, the title, the issuing union, the number and a QR code; an unknown number is refused', async () => {
    const selection = server.app.db.$client.prepare("select id from craftsman_selections where status = 'named' order by id limit 1").get() as { id: number };
    const list = (await server.app.inject({ method: 'GET', url: `/api/public/selections/${selection.id}` })).json() as {
      titleName: string;
      organiser: string;
      list: { name: string; certificateNumber: string | null }[];
    };
    const holder = list.list.find((c) => c.certificateNumber)!;
    const { context, page } = await newPage(browser, 'desktop');
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // From the public named list, as anyone reaches it.
    await page.goto(`${server.base}/selections/${selection.id}/public`);
    await page.getByTestId('certificate-link').first().click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/selections/${selection.id}/certificate/${encodeURIComponent(holder.certificateNumber!)}`);
    await page.getByTestId('certificate').waitFor();
    await page.locator('sc-title-certificate-page .qr svg').waitFor();
    const text = await page.getByTestId('certificate').innerText();
    expect(text).toContain('荣誉证书');
    expect(text).toContain('兹授予');
    expect(text).toContain(`“${list.titleName}”`);
    expect(await page.getByTestId('winner').innerText()).toContain(holder.name);
    expect(await page.getByTestId('issuers').innerText()).toContain(list.organiser);
    expect(await page.getByTestId('certificate-number').innerText()).toBe(`证书编号：${holder.certificateNumber}`);
    await screenshot(page, 'title-certificate');
    expect(await pdfPages(page)).toEqual({ pages: 1, portrait: false });

    await page.goto(`${server.base}/selections/${selection.id}/certificate/GJ1999-0000-999`);
    await expect.poll(() => page.getByRole('alert').innerText()).toContain('GJ1999-0000-999');

    // The number typed on the public results page finds the same certificate.
    await page.goto(`${server.base}/results`);
    const lookup = page.getByTestId('certificate-lookup');
    await lookup.locator('input').fill(holder.certificateNumber!);
    await lookup.getByRole('button').click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/selections/${Number(holder.certificateNumber!.slice(7, 11))}/certificate/${holder.certificateNumber}`);
    await expect.poll(() => page.getByTestId('winner').innerText()).toContain(holder.name);
    expect(errors).toEqual([]);
    await context.close();
  });
});
