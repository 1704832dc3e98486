import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { webDirectory } from '../../src/http/web.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = path.resolve('artifacts', 'screenshots');

/**
 * Why browser tests cannot run here, or undefined when they can. On a developer's machine a
 * missing Chromium skips them (with this reason in the report); in CI (`CI=true`) it is an error,
 * so a run that never opened the console cannot pass.
 */
export function browserSkipReason(): string | undefined {
  if (fs.existsSync(CHROMIUM)) return undefined;
  const missing = `no Chromium at ${CHROMIUM} (install Debian's chromium package, or set CHROMIUM_PATH)`;
  if (process.env.CI === 'true')
    throw new Error(`${missing}: CI=true runs the browser tests, it never skips them`);
  return `${missing}: browser tests skipped`;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile())
      newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** Builds the web UI when it is missing or older than its sources, so a fresh checkout's tests use the real bundle. */
export async function ensureWebBuilt(): Promise<void> {
  const index = path.join(webDirectory(), 'index.html');
  const sources = Math.max(
    newestMtime(path.resolve('web')),
    fs.statSync(path.resolve('src/domain/permissions.ts')).mtimeMs,
  );
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs >= sources) return;
  const { build } = await import('vite');
  await build({ configFile: path.resolve('vite.config.ts'), logLevel: 'warn' });
}

/** Chromium, headless; `extraArgs` adds switches (e.g. a fake microphone for the browser phone). */
export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  });
}

export function screenshotPath(name: string): string {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, `${name}.png`);
}

const errors = new WeakMap<Page, string[]>();

/** Uncaught script errors of a page opened by logIn(): a test that ends with any has found a bug. */
export function pageErrors(page: Page): string[] {
  return errors.get(page) ?? [];
}

/** Opens the console, logs in and waits for the main navigation. */
export async function logIn(
  browser: Browser,
  base: string,
  center: string,
  username: string,
  password: string,
  viewport = { width: 1440, height: 900 },
): Promise<Page> {
  const page = await browser.newPage({ viewport });
  const seen: string[] = [];
  errors.set(page, seen);
  page.on('pageerror', (error) => seen.push(error.message));
  await page.goto(base);
  await page.getByLabel('Contact center').fill(center);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
  return page;
}

/** A native API call made from inside the page with the page's own session (what the console itself can do). */
export function apiFromPage(
  page: Page,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  return page.evaluate(
    async ([method, path, body]) => {
      const storage = (globalThis as unknown as { localStorage: { getItem(key: string): string } })
        .localStorage;
      const session = JSON.parse(storage.getItem('outdial.session')) as { access_token: string };
      const headers: Record<string, string> = { authorization: `Bearer ${session.access_token}` };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(path as string, {
        method: method as string,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
    },
    [method, path, body] as const,
  );
}
