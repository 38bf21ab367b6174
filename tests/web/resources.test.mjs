// Resources through the real server: the JSON API (links, PDF and PNG
// uploads, downloads, bad input, 413 before the body), and the pages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startServer, cli, DEMO_PASSWORD } from '../support/server.mjs';
import { formClient, cookieOf, csrfOf } from '../support/forms.mjs';
import { samplePdf, samplePng } from '../support/sample_files.mjs';

let srv;
after(async () => { await srv?.stop(); });

const api = async (path, { method = 'GET', body, token, form, headers: extra = {} } = {}) => {
  const headers = { ...extra };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const r = await fetch(srv.base + path, { method, headers,
    body: form ?? (body === undefined ? undefined : JSON.stringify(body)) });
  const text = await r.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* a file */ }
  return { status: r.status, body: json, headers: r.headers, text };
};
const tokenOf = async (email) =>
  (await api('/api/v1/session', { method: 'POST', body: { email, password: DEMO_PASSWORD } })).body.token;
const upload = (fields, file, name, type = 'application/octet-stream') => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  if (file) f.append('file', new Blob([file], { type }), name);
  return f;
};
const GROUP = '/api/v1/groups/data-measurement/resources';

// Sends only the headers of a multipart POST declaring `length` bytes, then
// (when the server has not answered by then) ends the connection; resolves
// to the status the server answered with.
function declareOnly(path, length, token) {
  return new Promise((resolve, reject) => {
    const u = new URL(srv.base + path);
    const req = request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: {
      authorization: `Bearer ${token ?? ana}`, 'content-type': 'multipart/form-data; boundary=x',
      'content-length': String(length) } }, (res) => { res.resume(); resolve(res.statusCode); });
    req.on('error', reject);
    req.flushHeaders();
  });
}

let ana, lena;
before(async () => {
  // A 1 MB file limit, so a too-large upload is cheap to send.
  srv = await startServer({ args: ['--max-upload-mb', '1'] });
  ana = await tokenOf('active@demo.roundtable.test');
  lena = await tokenOf('liaison@demo.roundtable.test');
  assert.equal((await api('/api/v1/groups/data-measurement/membership', { method: 'POST', token: ana })).status, 201);
});

test('API: share a link, browse by tag, recommend, confirm', async () => {
  let r = await api(GROUP, { method: 'POST', token: ana, body: {
    kind: 'link', title: 'Counting outreach', url: 'https://example.org/outreach?a=1&b=2',
    description: 'A **short** guide.', license: 'cc-by-sa', tags: ['Outreach', 'Data'] } });
  assert.equal(r.status, 201);
  const link = r.body.resource;
  assert.equal(link.kind, 'link');
  assert.equal(link.url, 'https://example.org/outreach?a=1&b=2');
  assert.deepEqual(link.tags, ['outreach', 'data']);
  assert.equal(link.license.code, 'cc-by-sa');
  assert.match(link.description_html, /<strong>short<\/strong>/);
  assert.equal(link.stale, false);

  r = await api(`${GROUP}?tag=Outreach`, { token: ana });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.resources.map((x) => x.id), [link.id]);
  assert.ok(r.body.tags.some((t) => t.tag === 'outreach' && t.count === 1));
  assert.equal((await api(`${GROUP}?tag=nothing`, { token: ana })).body.resources.length, 0);

  r = await api(`/api/v1/resources/${link.id}/recommendation`, { method: 'POST', token: ana });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.code, 'own_resource');
  r = await api(`/api/v1/resources/${link.id}/recommendation`, { method: 'POST', token: lena });
  assert.deepEqual(r.body, { recommend_count: 1, recommended: true });

  r = await api(`/api/v1/resources/${link.id}/confirmation`, { method: 'POST', token: ana });
  assert.equal(r.status, 403);
  assert.equal(r.body.error.code, 'not_staff');
  r = await api(`/api/v1/resources/${link.id}/confirmation`, { method: 'POST', token: lena });
  assert.equal(r.status, 200);
  assert.equal(r.body.resource.viewer.can_confirm, true);

  // Hidden from people outside the members-only group.
  assert.equal((await api(`/api/v1/resources/${link.id}`)).status, 404);
  assert.equal((await api(GROUP)).status, 404);
});

test('API: the share POST honours Idempotency-Key for links and files', async () => {
  const count = async () => (await api(`${GROUP}?tag=retry`, { token: ana })).body.resources.length;
  const link = { kind: 'link', title: 'Retried link', url: 'https://example.org/retry', tags: ['retry'] };
  const key = { 'idempotency-key': 'share-link-1' };
  const first = await api(GROUP, { method: 'POST', token: ana, body: link, headers: key });
  assert.equal(first.status, 201);
  const again = await api(GROUP, { method: 'POST', token: ana, body: link, headers: key });
  assert.equal(again.status, 201);
  assert.deepEqual(again.body, first.body);
  assert.equal(again.headers.get('location'), first.headers.get('location'));
  assert.equal(await count(), 1);
  // The same key with another request is refused, and stores nothing.
  const other = await api(GROUP, { method: 'POST', token: ana, headers: key,
    body: { ...link, title: 'Another title' } });
  assert.equal(other.status, 422);
  assert.equal(other.body.error.code, 'idempotency_key_reused');
  assert.equal(await count(), 1);

  // A multipart file, sent twice under one key: one resource.
  const fileKey = { 'idempotency-key': 'share-file-1' };
  const form = () => upload({ title: 'Retried PDF', tags: 'retry' }, samplePdf(), 'retry.pdf', 'application/pdf');
  const f1 = await api(GROUP, { method: 'POST', token: ana, form: form(), headers: fileKey });
  assert.equal(f1.status, 201, f1.text);
  const f2 = await api(GROUP, { method: 'POST', token: ana, form: form(), headers: fileKey });
  assert.equal(f2.status, 201, f2.text);
  assert.equal(f2.body.resource.id, f1.body.resource.id);
  assert.deepEqual(f2.body, f1.body);
  assert.equal(await count(), 2);
  // Without a key, the same request shares again (a second resource).
  const f3 = await api(GROUP, { method: 'POST', token: ana, form: form() });
  assert.equal(f3.status, 201);
  assert.notEqual(f3.body.resource.id, f1.body.resource.id);
  assert.equal(await count(), 3);
});

test('API: posts attach resources by id; the thread and the resource show them', async () => {
  const share = async (body) => (await api(GROUP, { method: 'POST', token: ana, body })).body.resource;
  const link = await share({ kind: 'link', title: 'Attach me', url: 'https://example.org/attach' });
  const pdf = (await api(GROUP, { method: 'POST', token: ana,
    form: upload({ title: 'Attached PDF' }, samplePdf(), 'attached.pdf', 'application/pdf') })).body.resource;
  let r = await api('/api/v1/groups/data-measurement/threads', { method: 'POST', token: ana, body: {
    title: 'With attachments', body: 'See both.', resource_ids: [pdf.id, link.id] } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.deepEqual(r.body.post.attachments, [
    { id: pdf.id, kind: 'file', title: 'Attached PDF', type: 'application/pdf', size: samplePdf().length,
      url: null, page_url: `/resources/${pdf.id}`, download_url: `/api/v1/resources/${pdf.id}/file` },
    { id: link.id, kind: 'link', title: 'Attach me', type: null, size: null,
      url: 'https://example.org/attach', page_url: `/resources/${link.id}`, download_url: null }]);
  const thread = r.body.thread.id;
  r = await api(`/api/v1/threads/${thread}/posts`, { method: 'POST', token: lena, body: {
    body: 'And the link again.', resource_ids: [link.id] } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.deepEqual(r.body.post.attachments.map((a) => a.id), [link.id]);
  const replyId = r.body.post.id;
  r = await api(`/api/v1/threads/${thread}`, { token: ana });
  assert.deepEqual(r.body.posts.map((p) => p.attachments.map((a) => a.id)), [[pdf.id, link.id], [link.id]]);
  r = await api(`/api/v1/resources/${link.id}`, { token: ana });
  assert.deepEqual(r.body.resource.attached_in.map((x) => [x.thread_id, x.post_id, x.title]),
    [[thread, replyId, 'With attachments']]);

  // Refused with the field: another group's resource, an unknown one, too
  // many; a malformed list is bad input. None of them posts anything.
  const nora = await tokenOf('grace@demo.roundtable.test');
  await api('/api/v1/groups/social-work/membership', { method: 'POST', token: nora });
  const other = (await api('/api/v1/groups/social-work/resources', { method: 'POST', token: nora,
    body: { kind: 'link', title: 'Elsewhere', url: 'https://example.org/elsewhere' } })).body.resource;
  for (const [ids, status, code] of [[[other.id], 422, 'resource_not_attachable'],
    [[999999], 422, 'resource_not_attachable'], [[link.id, link.id, link.id, link.id, link.id, link.id], 422, 'too_many_attachments'],
    ['1,2', 400, 'invalid_field'], [[0], 400, 'invalid_field'], [['x'], 400, 'invalid_field']]) {
    r = await api(`/api/v1/threads/${thread}/posts`, { method: 'POST', token: ana, body: { body: 'Refused', resource_ids: ids } });
    assert.equal(r.status, status, JSON.stringify([ids, r.body]));
    assert.equal(r.body.error.code, code);
    assert.equal(r.body.error.field, 'resource_ids');
  }
  r = await api(`/api/v1/threads/${thread}`, { token: ana });
  assert.equal(r.body.posts.length, 2);
  // Removing a resource takes it off the posts.
  assert.equal((await api(`/api/v1/resources/${link.id}`, { method: 'DELETE', token: ana })).status, 204);
  r = await api(`/api/v1/threads/${thread}`, { token: ana });
  assert.deepEqual(r.body.posts.map((p) => p.attachments.map((a) => a.id)), [[pdf.id], []]);
});

test('API: bad links are refused with 422 and nothing is stored', async () => {
  for (const url of ['javascript:alert(1)', 'data:text/html,<b>x</b>', 'JAVASCRIPT:alert(1)', 'ftp://example.org/']) {
    const r = await api(GROUP, { method: 'POST', token: ana, body: { kind: 'link', title: 'Bad', url } });
    assert.equal(r.status, 422, url);
    assert.equal(r.body.error.code, 'url_scheme_not_allowed');
    assert.equal(r.body.error.field, 'url');
  }
  let r = await api(GROUP, { method: 'POST', token: ana, body: { kind: 'link', title: '', url: 'https://example.org' } });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'title');
  r = await api(GROUP, { method: 'POST', token: ana, body: { kind: 'link', title: 'x', url: 'https://e.org', license: 'gpl' } });
  assert.equal(r.body.error.code, 'invalid_license');
  r = await api(GROUP, { method: 'POST', token: ana, body: { kind: 'link', title: 'x', url: 'https://e.org', tags: ['a<b>'] } });
  assert.equal(r.body.error.code, 'invalid_tag');
  assert.equal((await api(`${GROUP}?tag=a`, { token: ana })).body.resources.length, 0);
});

test('API: upload a PDF and a PNG; downloads are attachments with the stored type', async () => {
  const pdf = samplePdf();
  let r = await api(GROUP, { method: 'POST', token: ana,
    form: upload({ title: 'Annual report', tags: 'reports', license: 'cc0' }, pdf, 'annual report.pdf', 'application/pdf') });
  assert.equal(r.status, 201, r.text);
  const res = r.body.resource;
  assert.equal(res.kind, 'file');
  assert.equal(res.file.type, 'application/pdf');
  assert.equal(res.file.size, pdf.length);
  assert.equal(res.file.preview_url, null);

  r = await fetch(srv.base + res.file.download_url, { headers: { authorization: `Bearer ${ana}` } });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/pdf');
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(r.headers.get('content-disposition'),
    'attachment; filename="annual report.pdf"; filename*=UTF-8\'\'annual%20report.pdf');
  assert.deepEqual(Buffer.from(await r.arrayBuffer()), pdf);
  // HEAD: the same headers with the file's real length, and no body.
  r = await fetch(srv.base + res.file.download_url, { method: 'HEAD', headers: { authorization: `Bearer ${ana}` } });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-length'), String(pdf.length));
  assert.equal(r.headers.get('content-type'), 'application/pdf');
  assert.equal((await r.arrayBuffer()).byteLength, 0);
  // Every download checks permission.
  assert.equal((await fetch(srv.base + res.file.download_url)).status, 404);
  assert.equal((await fetch(srv.base + `/resources/${res.id}/file`)).status, 404);

  const png = samplePng(4, 3);
  r = await api(GROUP, { method: 'POST', token: ana, form: upload({ title: 'Visits chart' }, png, 'chart.png', 'image/png') });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.resource.file.type, 'image/png');
  assert.equal(r.body.resource.file.width, 4);
  assert.equal(r.body.resource.file.height, 3);
  const preview = await fetch(srv.base + r.body.resource.file.preview_url, { headers: { authorization: `Bearer ${lena}` } });
  assert.equal(preview.status, 200);
  assert.equal(preview.headers.get('content-type'), 'image/png');
  assert.equal(preview.headers.get('content-disposition'), 'inline');
  assert.equal(preview.headers.get('x-content-type-options'), 'nosniff');
});

test('API: wrong content, hostile names and oversized uploads', async () => {
  // A PDF named .png: refused, with the reason.
  let r = await api(GROUP, { method: 'POST', token: ana, form: upload({ title: 'x' }, samplePdf(), 'photo.png', 'image/png') });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.code, 'file_type_mismatch');
  assert.match(r.body.error.message, /a PDF/);
  // HTML is not on the allow-list.
  r = await api(GROUP, { method: 'POST', token: ana, form: upload({ title: 'x' }, Buffer.from('<html><script>alert(1)</script></html>'), 'page.html', 'text/html') });
  assert.equal(r.status, 415);
  assert.equal(r.body.error.code, 'file_type_not_allowed');
  // Path parts, NUL-free but RTL-overridden names are cleaned for display.
  r = await api(GROUP, { method: 'POST', token: ana,
    form: upload({ title: 'Evil name' }, Buffer.from('plain notes\n'), '../../etc/evil\u202Etxt.exe.txt', 'text/plain') });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.resource.file.name, 'eviltxt.exe.txt');
  const d = await fetch(srv.base + r.body.resource.file.download_url, { headers: { authorization: `Bearer ${ana}` } });
  assert.equal(d.headers.get('content-disposition'),
    'attachment; filename="eviltxt.exe.txt"; filename*=UTF-8\'\'eviltxt.exe.txt');
  await d.arrayBuffer();

  // Over the 1 MB limit: 413 from the declared length, before the body
  // (a client that waits for the answer need not send it).
  assert.equal(await declareOnly(GROUP, 1536 * 1024), 413);
  // Declares 50 MB and sends only the headers: the answer comes anyway.
  assert.equal(await declareOnly(GROUP, 50 * 1024 * 1024), 413);
  // Within the upload limit but over the ordinary one, from someone who is
  // not signed in: refused unread, so strangers cannot fill the spool.
  assert.equal(await declareOnly(GROUP, 1100 * 1024, 'not-a-session'), 413);
  assert.equal(await declareOnly(GROUP, 1100 * 1024, ''), 413);
  // Large bodies elsewhere keep the ordinary 1 MB limit.
  assert.equal(await declareOnly('/api/v1/groups/data-measurement/threads', 1100 * 1024), 413);
  // Nothing of the refused uploads is listed.
  const titles = (await api(GROUP, { token: ana })).body.resources.map((x) => x.title);
  assert.ok(!titles.includes('x'));
});

test('pages: library, share form (multipart with CSRF), resource page, actions', async () => {
  const f = formClient(() => srv.base);
  const r0 = await f.post('/signin', f.form({ email: 'active@demo.roundtable.test', password: DEMO_PASSWORD }));
  const cookie = cookieOf(r0);
  let page = await (await f.get('/groups/data-measurement/resources', { cookie })).text();
  assert.match(page, /<h1>Resources of Data and Measurement<\/h1>/);
  assert.match(page, /href="\/groups\/data-measurement\/resources\/new\?kind=file">Share a file/);
  page = await (await f.get('/groups/data-measurement/resources/new?kind=link', { cookie })).text();
  assert.match(page, /enctype="multipart\/form-data"/);
  assert.match(page, /id="kind-link" name="kind" value="link" checked/);
  const csrf = csrfOf(page);

  // Without the CSRF token: refused.
  let r = await fetch(srv.base + '/groups/data-measurement/resources', { method: 'POST', redirect: 'manual',
    headers: { cookie }, body: upload({ kind: 'link', title: 'No token', url: 'https://example.org' }) });
  assert.equal(r.status, 403);
  // Errors keep what was typed.
  r = await fetch(srv.base + '/groups/data-measurement/resources', { method: 'POST', redirect: 'manual',
    headers: { cookie }, body: upload({ csrf_token: csrf, kind: 'link', title: 'Kept title', url: 'javascript:alert(1)' }) });
  assert.equal(r.status, 422);
  page = await r.text();
  assert.match(page, /Only web links/);
  assert.match(page, /value="Kept title"/);
  assert.match(page, /href="#field-url"/);
  // A file through the form.
  r = await fetch(srv.base + '/groups/data-measurement/resources', { method: 'POST', redirect: 'manual',
    headers: { cookie }, body: upload({ csrf_token: csrf, kind: 'file', title: 'Form PDF', tags: 'forms', license: 'cc-by' },
      samplePdf(), 'form.pdf', 'application/pdf') });
  assert.equal(r.status, 303);
  const location = r.headers.get('location');
  assert.match(location, /^\/resources\/\d+\?notice=resource_shared$/);
  page = await (await f.get(location, { cookie })).text();
  assert.match(page, /your resource is in the group(&apos;|')s library/);
  assert.match(page, /href="\/resources\/\d+\/file">Download form\.pdf/);
  assert.match(page, /href="https:\/\/creativecommons.org\/licenses\/by\/4.0\/"/);
  // The link page shows the URL as given, with rel="nofollow ugc noopener".
  const links = (await api(`${GROUP}?tag=outreach`, { token: ana })).body.resources;
  page = await (await f.get(`/resources/${links[0].id}`, { cookie })).text();
  assert.match(page, /href="https:\/\/example.org\/outreach\?a=1&amp;b=2" rel="nofollow ugc noopener"/);
  // Discuss it from the page: a thread starts and links back.
  const id = location.match(/\d+/)[0];
  const rp = await (await f.get(`/resources/${id}`, { cookie })).text();
  r = await f.post(`/resources/${id}/discussion`, f.form({ csrf_token: csrfOf(rp), body: 'Who has tried this form?' }), { cookie });
  assert.equal(r.status, 303);
  assert.match(r.headers.get('location'), /^\/threads\/\d+\?notice=replied$/);
  const thread = await (await f.get(r.headers.get('location'), { cookie })).text();
  assert.match(thread, new RegExp(`href="/resources/${id}"`));
  assert.match(await (await f.get(`/resources/${id}`, { cookie })).text(), /Read the discussion about this resource/);
  // Attached from a post: the new-thread form offers the library as
  // checkboxes and a new file, sent together as multipart; the post lists
  // what it attaches, and the resource's page the discussion.
  page = await (await f.get('/groups/data-measurement/threads/new', { cookie })).text();
  assert.match(page, /action="\/groups\/data-measurement\/threads" enctype="multipart\/form-data"/);
  assert.ok(page.includes(`id="attach-${id}" name="resource_ids" value="${id}"`), page);
  assert.match(page, /<input class="input" id="field-file" name="file" type="file"/);
  const form = (fields, file, name, type) => {
    const fd = new FormData();
    for (const [k, v] of Object.entries(fields)) for (const x of [].concat(v)) fd.append(k, x);
    if (file) fd.append('file', new Blob([file], { type }), name);
    return fd;
  };
  const post = (path, body) => fetch(srv.base + path, { method: 'POST', redirect: 'manual', headers: { cookie }, body });
  r = await post('/groups/data-measurement/threads', form({ csrf_token: csrf, kind: 'discussion',
    title: 'Our survey form', body: 'Here is the form we use.', resource_ids: id, idempotency_key: 'attach-1',
    attachment_title: 'Survey chart' }, samplePng(), 'chart.png', 'image/png'));
  assert.equal(r.status, 303, await r.text());
  const posted = await (await f.get(r.headers.get('location'), { cookie })).text();
  assert.match(posted, /<ul class="attachments" aria-label="Attached resources">/);
  assert.ok(posted.includes(`<a href="/resources/${id}">Form PDF</a> <span class="meta">(PDF, `), posted);
  assert.match(posted, /">Survey chart<\/a> <span class="meta">\(PNG image, \d+ bytes\)<\/span>/);
  const chartId = posted.match(/<a href="\/resources\/(\d+)">Survey chart<\/a>/)[1];
  const threadUrl = r.headers.get('location').split('?')[0];
  for (const rid of [id, chartId]) {
    const rpage = await (await f.get(`/resources/${rid}`, { cookie })).text();
    assert.match(rpage, /<h3>Attached to posts in<\/h3>[\s\S]*>Our survey form<\/a>/);
  }
  // A reply: the thread page offers the choices on request.
  assert.match(posted, /Attach resources from the library, or a new file/);
  page = await (await f.get(`${threadUrl}?attach=1`, { cookie })).text();
  assert.match(page, /action="\/threads\/\d+\/posts" enctype="multipart\/form-data"/);
  assert.ok(page.includes(`name="resource_ids" value="${chartId}"`));
  // Too many: the form comes back with the error and what was typed.
  const six = Array.from({ length: 6 }, () => chartId);
  r = await post(`${threadUrl}/posts`, form({ csrf_token: csrfOf(page), body: 'Six at once', resource_ids: six }));
  assert.equal(r.status, 422);
  let html = await r.text();
  assert.match(html, /href="#field-resource_ids"/);
  assert.match(html, /Attach at most 5 resources to one post/);
  assert.match(html, />Six at once<\/textarea>/);
  // A file the allow-list refuses: nothing is posted, the error is by the file.
  r = await post(`${threadUrl}/posts`, form({ csrf_token: csrfOf(page), body: 'A tool' },
    Buffer.from('MZ' + '\0'.repeat(200)), 'tool.pdf', 'application/pdf'));
  assert.equal(r.status, 415);
  html = await r.text();
  assert.match(html, /href="#field-file"/);
  assert.match(html, />A tool<\/textarea>/);
  r = await post(`${threadUrl}/posts`, form({ csrf_token: csrfOf(page), body: 'The chart again', resource_ids: chartId }));
  assert.equal(r.status, 303);
  const reply = await (await fetch(srv.base + r.headers.get('location'), { headers: { cookie } })).text();
  assert.ok(reply.includes(`<a href="/resources/${chartId}">Survey chart</a>`));
  assert.doesNotMatch(reply, />A tool</);
  // The empty state of a tag.
  page = await (await f.get('/groups/data-measurement/resources?tag=none-here', { cookie })).text();
  assert.match(page, /Nothing is tagged/);
});

test('CLI: resources gc keeps named files', async () => {
  const r = await cli(srv.dataDir, ['resources', 'gc', '--grace-minutes', '0']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /reclaimed \d+ orphan file\(s\)/);
  const list = (await api(GROUP, { token: ana })).body.resources.filter((x) => x.kind === 'file');
  for (const x of list) {
    const d = await fetch(srv.base + x.file.download_url, { headers: { authorization: `Bearer ${ana}` } });
    assert.equal(d.status, 200, x.title);
    await d.arrayBuffer();
  }
});
