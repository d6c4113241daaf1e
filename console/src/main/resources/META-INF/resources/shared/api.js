// The one way the faces talk to Siyu: the public API with a short-lived bearer token kept in session storage.
// A staff credential (siyu_<id>_<secret>) is exchanged for a token once (POST /api/v1/auth/token); the credential
// itself is never stored. No cookies, so no CSRF surface.

const KEY = 'siyu.session';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }

  /** The fields a 400 names, as "field: reason" lines. */
  fields() {
    return (this.problem.errors || []).map((e) => `${e.field}: ${e.reason}`);
  }

  /** What to show a person: each field the problem names, or its detail when it names none. */
  lines() {
    const fields = this.fields();
    return fields.length ? fields.join('\n') : this.message;
  }
}

export function session() {
  try {
    const s = JSON.parse(sessionStorage.getItem(KEY));
    return s && s.expiresAt > Date.now() ? s : null;
  } catch {
    return null;
  }
}

export function keepSession(token) {
  const s = { token: token.accessToken, role: token.role, memberId: token.memberId || null,
    expiresAt: Date.now() + token.expiresIn * 1000 };
  sessionStorage.setItem(KEY, JSON.stringify(s));
  return s;
}

export function signOut() {
  sessionStorage.removeItem(KEY);
}

async function problemOf(response) {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

/** Exchanges a staff credential for a page token. */
export async function signInWithCredential(credential) {
  const response = await fetch('/api/v1/auth/token', {
    method: 'POST',
    headers: { Authorization: `Bearer ${credential.trim()}` },
  });
  if (!response.ok) {
    throw new ApiError(response.status, await problemOf(response));
  }
  return keepSession(await response.json());
}

/** Signs in with a code (WeCom OAuth for the sidebar) at a public sign-in route. */
export async function signInWithCode(path, code) {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ code }),
  });
  if (!response.ok) {
    throw new ApiError(response.status, await problemOf(response));
  }
  return keepSession(await response.json());
}

/** Calls the API as the signed-in caller; a 401 ends the session. */
export async function api(method, path, body, language) {
  const s = session();
  const headers = { Accept: 'application/json' };
  if (s) headers.Authorization = `Bearer ${s.token}`;
  if (language) headers['Accept-Language'] = language;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`/api/v1${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 401) {
    signOut();
  }
  if (!response.ok) {
    throw new ApiError(response.status, await problemOf(response));
  }
  return response.status === 204 ? null : response.json();
}

export function query(params) {
  const q = new URLSearchParams();
  Object.entries(params).forEach(([k, v]) => {
    if (v !== undefined && v !== null && v !== '') q.set(k, v);
  });
  const text = q.toString();
  return text ? `?${text}` : '';
}

/** What a failure says to a person. */
export function explain(failure) {
  return failure instanceof ApiError ? failure.lines() : String(failure.message || failure);
}

/** Text for the page: never HTML. */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  Object.entries(attributes).forEach(([k, v]) => {
    if (v === undefined || v === null || v === false) return;
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (k === 'text') node.textContent = v;
    else node.setAttribute(k, v === true ? '' : v);
  });
  children.flat().forEach((child) => {
    if (child === null || child === undefined || child === false) return;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  });
  return node;
}

/** A member id shortened for dense tables; the whole id is in the title. */
export function shortId(id) {
  return id && id.length > 10 ? `${id.slice(0, 8)}…` : id;
}

export function formatNumber(n, language) {
  return n === null || n === undefined ? '–' : Number(n).toLocaleString(language === 'zh' ? 'zh-CN' : 'en-US');
}
