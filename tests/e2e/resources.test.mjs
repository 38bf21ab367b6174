// The library journey in real Chromium: share a PDF and a link, browse by
// tag, open a resource, recommend it and discuss it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, signInAsDemo } from '../support/browser.mjs';
import { startServer } from '../support/server.mjs';
import { samplePdf } from '../support/sample_files.mjs';

let srv, browser;
before(async () => { srv = await startServer(); browser = await launch(); });
after(async () => { await srv?.stop(); await browser?.close(); });

const signIn = (page, email) => signInAsDemo(browser, page, srv.base, email);

test('share a PDF and a link, browse by tag, recommend and discuss', async () => {
  const page = await browser.context.newPage();
  page.setDefaultTimeout(10000);
  await signIn(page, 'active@demo.roundtable.test');
  await page.goto(srv.base + '/groups/data-measurement');
  await page.getByRole('button', { name: 'Join Data and Measurement' }).click();
  await page.waitForSelector('.banner');
  await page.getByRole('link', { name: 'Resources' }).first().click();
  assert.match(await page.locator('main .empty').textContent(), /Nothing has been shared yet/);

  // A PDF.
  await page.getByRole('link', { name: 'Share a file' }).click();
  await page.setInputFiles('#field-file', { name: 'survey-toolkit.pdf', mimeType: 'application/pdf', buffer: samplePdf() });
  await page.fill('#field-title', 'Patron survey toolkit');
  await page.fill('#field-description', 'Questions we **tested** with 400 patrons.');
  await page.selectOption('#field-license', 'cc-by');
  await page.fill('#field-tags', 'Surveys, evaluation');
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  assert.match(await page.locator('.banner').textContent(), /in the group.s library/);
  assert.equal(await page.locator('h1').textContent(), 'Patron survey toolkit');
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download survey-toolkit.pdf' }).click();
  assert.equal((await download).suggestedFilename(), 'survey-toolkit.pdf');

  // A link, with a mistake first: the form keeps what was typed.
  await page.goto(srv.base + '/groups/data-measurement/resources/new?kind=link');
  await page.fill('#field-url', 'javascript:alert(1)');
  await page.fill('#field-title', 'Outcome measures');
  await page.fill('#field-tags', 'evaluation');
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  await page.waitForSelector('.error-summary');
  assert.equal(await page.inputValue('#field-title'), 'Outcome measures');
  await page.getByRole('link', { name: /Only web links/ }).click();
  await page.fill('#field-url', 'https://example.org/outcomes');
  await page.check('#kind-link');
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  await page.waitForSelector('.banner');
  assert.equal(await page.getByRole('link', { name: 'Open the link' }).getAttribute('rel'), 'nofollow ugc noopener');

  // Browse by tag.
  await page.goto(srv.base + '/groups/data-measurement/resources');
  await page.getByRole('link', { name: /^surveys/ }).first().click();
  const titles = await page.locator('.resource-title').allTextContents();
  assert.deepEqual(titles.map((t) => t.trim()), ['Patron survey toolkit']);
  await page.getByRole('link', { name: /^evaluation/ }).first().click();
  assert.equal(await page.locator('.resource-title').count(), 2);

  // Lena recommends it, confirms it and starts its discussion.
  await signIn(page, 'liaison@demo.roundtable.test');
  await page.goto(srv.base + '/groups/data-measurement/resources');
  await page.getByRole('link', { name: 'Patron survey toolkit' }).click();
  await page.getByRole('button', { name: 'Recommend' }).click();
  assert.match(await page.locator('.banner').textContent(), /You recommended this resource/);
  assert.match(await page.locator('.facts').textContent(), /1 person/);
  await page.getByRole('button', { name: /Still good/ }).click();
  assert.match(await page.locator('.banner').textContent(), /checked today/);
  await page.fill('#field-body', 'Has anyone adapted this for **teens**?');
  await page.getByRole('button', { name: 'Start the discussion' }).click();
  await page.waitForSelector('.banner');
  assert.match(await page.locator('h1').textContent(), /About the resource: Patron survey toolkit/);
  await page.getByRole('link', { name: 'Patron survey toolkit' }).click();
  assert.equal(await page.locator('h1').textContent(), 'Patron survey toolkit');
  await page.getByRole('link', { name: 'Read the discussion about this resource' }).click();
  assert.match(await page.locator('.post-body strong').first().textContent(), /teens/);
  await page.close();
});
