// The marketers' console: one page, a view per hash route, every figure from the public API.
import { session, signInWithCredential, signOut, el, ApiError } from '/shared/api.js';
import { lang, setLang, t } from '/shared/i18n.js';
import * as overview from '/console/js/overview.js';
import * as funnel from '/console/js/funnel.js';
import * as segments from '/console/js/segments.js';
import * as rules from '/console/js/rules.js';
import * as operator from '/console/js/operator.js';
import { disposeCharts } from '/console/js/charts.js';

/** Each view, who may open it (the same roles AccessRules gives its routes), and its module. */
const VIEWS = [
  { name: 'overview', roles: ['marketer', 'operator'], view: overview },
  { name: 'funnel', roles: ['marketer'], view: funnel },
  { name: 'segments', roles: ['marketer'], view: segments },
  { name: 'rules', roles: ['marketer', 'operator'], view: rules },
  { name: 'operator', roles: ['operator'], view: operator },
];

const main = document.getElementById('main');

function current() {
  const name = location.hash.replace(/^#\/?/, '').split('?')[0];
  return VIEWS.find((v) => v.name === name);
}

function renderChrome() {
  const s = session();
  document.title = t('app.title');
  const nav = document.getElementById('nav');
  nav.replaceChildren(...(s ? VIEWS.filter((v) => v.roles.includes(s.role)) : []).map((v) =>
    el('a', { href: `#/${v.name}`, class: current() === v ? 'active' : '', 'data-testid': `nav-${v.name}` }, t(`nav.${v.name}`))));
  document.getElementById('who').textContent = s ? s.role : '';
  const out = document.getElementById('sign-out');
  out.hidden = !s;
  out.textContent = t('app.signOut');
  document.getElementById('language').textContent = t('app.language');
}

function renderSignIn() {
  const input = el('input', { type: 'password', autocomplete: 'off', 'data-testid': 'credential',
    placeholder: 'siyu_…' });
  const message = el('p', { class: 'error', 'data-testid': 'sign-in-error' });
  const form = el('form', { class: 'card signin', onsubmit: async (event) => {
    event.preventDefault();
    message.textContent = '';
    try {
      await signInWithCredential(input.value);
      input.value = '';
      // a route the hash already names is drawn now; another is drawn by the hash change
      if (current()) route(); else location.hash = '#/overview';
    } catch (failure) {
      message.textContent = failure instanceof ApiError ? failure.message : String(failure);
    }
  } },
  el('h2', {}, t('signIn.title')),
  el('label', {}, t('signIn.credential'), input),
  el('p', {}, el('button', { type: 'submit', class: 'primary', 'data-testid': 'sign-in' }, t('signIn.submit'))),
  el('p', { class: 'muted' }, t('signIn.hint')),
  message);
  main.replaceChildren(form);
}

async function route() {
  disposeCharts();
  const s = session();
  if (!s) {
    renderChrome();
    renderSignIn();
    return;
  }
  let view = current();
  if (!view) {
    location.hash = '#/overview';
    return;
  }
  renderChrome();
  if (!view.roles.includes(s.role)) {
    main.replaceChildren(el('div', { class: 'card error', 'data-testid': 'forbidden' },
      t('forbidden', { roles: view.roles.join(', '), role: s.role })));
    return;
  }
  main.replaceChildren(el('p', { class: 'muted' }, t('loading')));
  try {
    await view.view.render(main, { role: s.role, language: lang() });
  } catch (failure) {
    if (failure instanceof ApiError && failure.status === 401) {
      route();
      return;
    }
    main.replaceChildren(el('div', { class: 'card error', 'data-testid': 'error' },
      t('error', { message: failure.message })));
  }
}

document.getElementById('language').addEventListener('click', () => {
  setLang(lang() === 'zh' ? 'en' : 'zh');
  route();
});
document.getElementById('sign-out').addEventListener('click', () => {
  signOut();
  location.hash = '';
  route();
});
window.addEventListener('hashchange', route);
setLang(lang());
route();
