/**
 * GraphiQL in a real headless Chromium (Debian's, /usr/bin/chromium; .ci/run installs it), over the whole process as
 * `npm start` runs it, with every host but loopback unreachable: the page loads from the gateway alone, opens on this
 * API's examples, runs one and shows the answer, and its docs explorer browses the schema. Nothing is skipped: without
 * the browser this test fails.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { start, type Running } from '../../src/main';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** Loading a 9 MB page and starting its editors takes seconds on a shared 2-core machine: generous, never asserted. */
const SLOW = 90_000;
const WAIT = 60_000;

const isLoopback = (url: URL) => url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';

describe('GraphiQL in Chromium, offline', () => {
  let running: Running;
  let profile: string;
  let context: BrowserContext;
  let page: Page;
  /** Every request the browser made or tried, by URL. */
  const requested: string[] = [];
  /** Requests to other hosts, refused. */
  const refused: string[] = [];
  /** Console errors (a CSP violation is one) and uncaught page errors. */
  const problems: string[] = [];

  beforeAll(async () => {
    running = await start({ ...loadConfig({}), port: 0, logLevel: 'silent' });
    profile = mkdtempSync(join(tmpdir(), 'cbr-graphql-chromium-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS });
    context.on('request', (request) => requested.push(request.url()));
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if ((url.protocol === 'http:' || url.protocol === 'https:') && !isLoopback(url)) {
        refused.push(url.href);
        return route.abort('addressunreachable');
      }
      return route.continue();
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
  }, SLOW);

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await running?.close();
  });

  it('loads from the gateway alone and opens on the API\'s examples', async () => {
    const response = await page.goto(running.graphqlUrl);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("default-src 'none'");
    await page.locator('.graphiql-execute-button').first().waitFor({ timeout: WAIT });
    const tabs = (await page.locator('.graphiql-tab .graphiql-tab-button').allTextContents()).map((text) => text.trim());
    expect(tabs).toEqual(['Dashboard', 'BackUpNow', 'ListDiskBackups', 'ShareBackup', 'CreatePolicy', 'BackupPage']);
  }, SLOW);

  it('runs the Dashboard example and renders the answer', async () => {
    await page.locator('.graphiql-execute-button').first().click();
    const result = page.locator('.graphiql-response').first();
    // The editor renders spaces as no-break spaces.
    const resultText = async () => (await result.innerText()).replace(/\u00a0/g, ' ');
    // The editor renders only the lines in view: the top of the answer, where `errors` would come first.
    await expect.poll(resultText, { timeout: WAIT }).toContain('"totalCount": 6');
    const text = await resultText();
    expect(text).toMatch(/^\{\s*"data": \{\s*"vaults": \{/);
    expect(text).toMatch(/"name": "vault-[a-z-]+"/);
    expect(text).not.toContain('"errors"');
  }, SLOW);

  it('runs an example with its variables from another tab', async () => {
    await page.locator('.graphiql-tab .graphiql-tab-button', { hasText: 'BackupPage' }).click();
    const editor = page.locator('.graphiql-query-editor').first();
    await expect.poll(async () => (await editor.innerText()).replace(/\u00a0/g, ' '), { timeout: WAIT }).toContain('query BackupPage');
    const run = page.locator('.graphiql-execute-button').first();
    await run.click();
    const result = page.locator('.graphiql-response').first();
    const resultText = async () => (await result.innerText()).replace(/\u00a0/g, ' ');
    // GraphiQL learns a tab's operation name from its editor's change events: on a loaded machine a run right after the
    // switch has gone out under the previous tab's name ("Cannot infer operation Dashboard", GraphiQL's own check,
    // before any request). A person would touch the query and run again; so does the test (a trailing space).
    await expect
      .poll(
        async () => {
          const text = await resultText();
          if (text.includes('Cannot infer operation')) {
            await editor.click();
            await page.keyboard.press('Control+End');
            await page.keyboard.type(' ');
            await run.click();
          }
          return text;
        },
        { timeout: WAIT, interval: 500 },
      )
      .toContain('"hasNextPage": true');
    expect(await resultText()).toMatch(/^\{\s*"data": \{\s*"backups": \{\s*"totalCount": \d+,/);
  }, SLOW);

  it('opens the docs explorer on the schema', async () => {
    await page.getByLabel('Show Documentation Explorer').click();
    const docs = page.locator('.graphiql-doc-explorer').first();
    await expect.poll(() => docs.innerText(), { timeout: WAIT }).toContain('query: Query');
    await docs.getByText('Query', { exact: true }).click();
    await expect.poll(() => docs.innerText(), { timeout: WAIT }).toContain('vaults');
  }, SLOW);

  it('made no request beyond the gateway, and the page hit no CSP violation or error', () => {
    const origin = new URL(running.graphqlUrl).origin;
    expect(refused).toEqual([]);
    expect(requested.length).toBeGreaterThan(0);
    expect(requested.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith(`blob:${origin}/`))).toEqual([]);
    expect(problems).toEqual([]);
  });
});
