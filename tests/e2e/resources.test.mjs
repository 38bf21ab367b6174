// The library journey in real Chromium: share a PDF and a link, browse by
// tag, open a resource, recommend it and discuss it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, signInAsDemo } from '../support/browser.mjs';
import { startServer, DEMO_PASSWORD } from '../support/server.mjs';
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

test('attach a library resource and a new file to a thread, then to a reply', async () => {
  // A link already in the library, shared through the API.
  const json = { 'content-type': 'application/json' };
  const login = async (email) => (await (await fetch(srv.base + '/api/v1/session', { method: 'POST',
    headers: json, body: JSON.stringify({ email, password: DEMO_PASSWORD }) })).json()).token;
  const lena = await login('liaison@demo.roundtable.test');
  const shared = await (await fetch(srv.base + '/api/v1/groups/data-measurement/resources', { method: 'POST',
    headers: { ...json, authorization: `Bearer ${lena}` },
    body: JSON.stringify({ kind: 'link', title: 'Counting guide', url: 'https://example.org/counting' }) })).json();
  const linkId = shared.resource.id;

  const page = await browser.context.newPage();
  page.setDefaultTimeout(10000);
  await signIn(page, 'active@demo.roundtable.test');
  await page.goto(srv.base + '/groups/data-measurement/threads/new');
  await page.fill('#field-title', 'How we count visits');
  await page.fill('#field-body', 'Our method, with the guide and our sheet.');
  await page.getByRole('checkbox', { name: /Counting guide/ }).check();
  await page.setInputFiles('#field-file', { name: 'visit-sheet.pdf', mimeType: 'application/pdf', buffer: samplePdf() });
  await page.fill('#field-attachment_title', 'Visit tally sheet');
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await page.waitForSelector('.banner');
  assert.equal(await page.locator('h1').textContent(), 'How we count visits');
  const listed = (await page.locator('article.post').first().locator('.attachments li').allTextContents())
    .map((t) => t.replace(/\s+/g, ' ').trim());
  assert.equal(listed.length, 2);
  assert.equal(listed[0], 'Counting guide (Link)');
  assert.match(listed[1], /^Visit tally sheet \(PDF, \d+ bytes\)$/);

  // The new file is in the library, and its page says where it is attached.
  await page.getByRole('link', { name: 'Visit tally sheet' }).click();
  assert.equal(await page.locator('h1').textContent(), 'Visit tally sheet');
  assert.match(await page.locator('.meta').first().textContent(), /PDF/);
  await page.getByRole('link', { name: 'How we count visits' }).click();
  assert.equal(await page.locator('h1').textContent(), 'How we count visits');

  // Lena replies attaching the guide, from the choices the page offers.
  await signIn(page, 'liaison@demo.roundtable.test');
  await page.goto(srv.base + '/groups/data-measurement');
  await page.getByRole('link', { name: 'How we count visits' }).click();
  await page.getByRole('link', { name: /Attach resources from the library/ }).click();
  await page.fill('#field-body', 'The guide covers outreach too.');
  await page.getByRole('checkbox', { name: /Counting guide/ }).check();
  await page.getByRole('button', { name: 'Post reply' }).click();
  await page.waitForSelector('.banner');
  const replies = page.locator('article.post').filter({ hasText: 'The guide covers outreach too.' });
  assert.equal((await replies.locator('.attachments li').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim())
    .join('|'), 'Counting guide (Link)');
  await page.goto(srv.base + `/resources/${linkId}`);
  assert.equal(await page.locator('.attached-in li').count(), 1);
  await page.close();
});
