// Roundtable's only script, and an optional one: every page works without
// it. It shows exact times in the reader's own time zone and adds a live
// Markdown preview under each post editor.
(function () {
  'use strict';
  // Server-rendered times carry UTC; the reader's clock knows their zone.
  Array.prototype.forEach.call(document.querySelectorAll('time[datetime]'), function (t) {
    var when = new Date(t.getAttribute('datetime'));
    if (!isNaN(when)) t.title = when.toLocaleString(undefined, { dateStyle: 'long', timeStyle: 'short' });
  });

  var meta = document.querySelector('meta[name="csrf-token"]');
  var field = document.getElementById('field-body');
  if (!field || !window.fetch) return;

  var region = document.createElement('section');
  region.className = 'preview';
  region.setAttribute('aria-live', 'polite');
  region.setAttribute('aria-label', 'Live preview');
  region.hidden = true;
  var body = document.createElement('div');
  body.className = 'post-body';
  region.appendChild(body);
  field.parentNode.parentNode.insertBefore(region, field.parentNode.nextSibling);

  var timer = null;
  var latest = 0;
  function render() {
    var text = field.value;
    if (!text.trim()) { region.hidden = true; return; }
    var ticket = ++latest;
    var headers = { 'Content-Type': 'application/json' };
    if (meta) headers['X-CSRF-Token'] = meta.getAttribute('content');
    fetch('/api/v1/preview', {
      method: 'POST', credentials: 'same-origin', headers: headers,
      body: JSON.stringify({ body: text })
    }).then(function (r) { return r.ok ? r.json() : null; }).then(function (data) {
      // The server sanitises the HTML; it is the same rendering a post gets.
      if (!data || ticket !== latest) return;
      body.innerHTML = data.html;
      region.hidden = false;
    }).catch(function () { /* offline: the Preview button still works */ });
  }
  field.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(render, 400);
  });
})();
