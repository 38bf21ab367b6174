// Plain-HTTP helpers for the HTML face: form posts without following
// redirects, and reading the session cookie and CSRF token from responses.
// `base` is a function so a suite can create its server after importing.
export function formClient(base) {
  const form = (fields) => new URLSearchParams(fields).toString();
  const post = (path, body, headers = {}) => fetch(base() + path, {
    method: 'POST', redirect: 'manual', body,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  });
  const get = (path, headers = {}) => fetch(base() + path, { redirect: 'manual', headers });
  return { form, post, get };
}

export const cookieOf = (r) => r.headers.get('set-cookie')?.split(';')[0];
export const csrfOf = (html) => html.match(/name="csrf_token" value="([^"]+)"/)[1];
