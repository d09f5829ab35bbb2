import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../db/seed.ts';
import { horizontalOverflow, launchBrowser, newPage, screenshot, startServer, type E2eServer } from './helpers/browser.ts';

/** The staff account rules a security review asks for, as the person at the keyboard meets them. */
let server: E2eServer;
let browser: Browser;
let admin: string;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const res = await server.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: DEMO_PASSWORD } });
  admin = `sid=${res.cookies.find((c) => c.name === 'sid')!.value}`;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function createAccount(username: string, password: string): Promise<void> {
  const orgId = (server.app.db.$client.prepare("select org_id from accounts where username = 'organiser'").get() as { org_id: number }).org_id;
  const res = await server.app.inject({
    method: 'POST',
    url: '/api/accounts',
    headers: { cookie: admin },
    payload: { username, displayName: '新来的干事', password, orgId, role: 'organiser' },
  });
  expect(res.statusCode, res.body).toBe(201);
}

/** Waits for the app to show `path` (client-side navigation changes the address without a page load). */
async function at(page: Page, path: string) {
  await expect.poll(() => new URL(page.url()).pathname + new URL(page.url()).search, { timeout: 10_000 }).toBe(path);
}

async function signIn(page: Page, username: string, password: string) {
  await page.locator('#u').fill(username);
  await page.locator('#p').fill(password);
  await page.getByRole('button', { name: '登录' }).last().click();
}

describe('staff accounts', () => {
  it('a first password set by an administrator must be replaced before anything else', async () => {
    await createAccount('ganshi', 'Temp#Pass01');
    const { context, page } = await newPage(browser, 'portrait');
    await page.goto(`${server.base}/login`);
    await signIn(page, 'ganshi', 'Temp#Pass01');
    await at(page, '/account/password');
    await page.getByTestId('forced').waitFor();
    // Any other page sends them back here.
    await page.goto(`${server.base}/org`);
    await at(page, '/account/password');

    await page.locator('#current').fill('Temp#Pass01');
    await page.locator('#new').fill('weakpassword');
    await page.locator('#repeat').fill('weakpassword');
    await page.getByRole('button', { name: '保存新密码' }).click();
    expect(await page.getByTestId('error-new').textContent()).toContain('至少 3 种');
    await screenshot(page, 'account-password-forced');
    expect(await horizontalOverflow(page)).toBe(0);

    await page.locator('#new').fill('Ganshi-is-not-in-it');
    await page.locator('#new').fill('Better#Pass02');
    await page.locator('#repeat').fill('Better#Pass02');
    await page.getByRole('button', { name: '保存新密码' }).click();
    await at(page, '/org');
    await context.close();
  });

  it('an idle session ends with a word of why, and signing in again returns to the page', async () => {
    const { context, page } = await newPage(browser, 'landscape');
    await page.goto(`${server.base}/login`);
    await signIn(page, 'viewer', DEMO_PASSWORD);
    await at(page, '/org');
    // A page that asks nothing more of the server, so no request of the old page meets the idle session first.
    await page.goto(`${server.base}/`, { waitUntil: 'networkidle' });    // Thirty-one minutes without a request, as the server sees it.
    server.app.db.$client
      .prepare('update sessions set last_seen_at = ? where account_id = (select id from accounts where username = ?)')
      .run(Date.now() - 31 * 60_000, 'viewer');
    await page.goto(`${server.base}/people`);
    await at(page, `/login?reason=idle&next=${encodeURIComponent('/people')}`);
    expect(await page.getByTestId('idle-notice').textContent()).toContain('长时间未操作');
    await screenshot(page, 'account-idle-sign-in');
    await signIn(page, 'viewer', DEMO_PASSWORD);
    await at(page, '/people');
    await context.close();
  });

  it('says an account is locked after five wrong passwords, and for how long', async () => {
    await createAccount('lockme', 'Lock#Pass01');
    const { context, page } = await newPage(browser, 'landscape');
    await page.goto(`${server.base}/login`);
    for (let i = 0; i < 5; i++) {
      await signIn(page, 'lockme', `Wrong#${i}pass`);
      await page.getByRole('alert').filter({ hasText: '用户名或密码错误' }).waitFor();
    }
    await signIn(page, 'lockme', 'Lock#Pass01');
    await page.getByRole('alert').filter({ hasText: '账号已锁定' }).waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('10 分钟');
    await context.close();
  });
});
