// Operators: read models and their rebuilds, dead letters, the demo data's progress.
import { api, el, formatNumber } from '/shared/api.js';
import { t } from '/shared/i18n.js';

function rebuildButton(projection) {
  return el('button', { type: 'button', onclick: async (event) => {
    event.target.disabled = true;
    const progress = await api('POST', `/admin/projections/${encodeURIComponent(projection)}/rebuild`);
    event.target.textContent = progress.state;
  } }, t('operator.rebuild'));
}

export async function render(main, { language }) {
  const [projections, deadLetters, demo] = await Promise.all([api('GET', '/admin/projections'),
    api('GET', '/admin/dead-letters'), api('GET', '/admin/demo')]);
  const rows = projections.map((p) => el('tr', {},
    el('td', {}, p.projection),
    el('td', { class: 'muted' }, p.state ? `${p.state} ${p.finishedAt || ''}` : '–'),
    el('td', {}, rebuildButton(p.projection))));
  const letters = (deadLetters.groups || []).map((g) => `${g.group}: ${formatNumber(g.letters, language)}`);
  main.replaceChildren(
    el('div', { class: 'card', 'data-testid': 'projections' }, el('h2', {}, t('operator.projections')),
      el('table', {}, el('tbody', {}, rows))),
    el('div', { class: 'card', 'data-testid': 'dead-letters' }, el('h2', {}, t('operator.deadLetters')),
      el('pre', {}, letters.join('\n') || '0')),
    el('div', { class: 'card', 'data-testid': 'demo-status' }, el('h2', {}, t('operator.demo')),
      el('pre', {}, JSON.stringify(demo, null, 1))));
}
