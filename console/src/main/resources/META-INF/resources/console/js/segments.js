// Segments: saved segments with their live count, WeCom tag and growth; a builder of AND / OR / NOT groups whose
// count (POST /segments/preview) follows every change.
import { api, explain, el, formatNumber } from '/shared/api.js';
import { t } from '/shared/i18n.js';
import { chart, COLORS } from '/console/js/charts.js';

const STAGES = ['registered', 'first_purchase', 'repeat_purchase', 'wecom_contact', 'wecom_group', 'repeat_after_group'];

/** Every criterion the API knows: its inputs, and how they become the criterion's JSON. */
const CRITERIA = {
  tier: { inputs: [['in', 'text', 'gold,black']], json: (v) => ({ in: list(v.in) }) },
  pointsBalance: { inputs: [['min', 'number'], ['max', 'number']], json: (v) => range(v, 'min', 'max') },
  spendInLastDays: { inputs: [['days', 'number', '90'], ['minYuan', 'number', '500'], ['maxYuan', 'number']],
    json: (v) => ({ days: num(v.days), ...fen(v) }) },
  purchasesInLastDays: { inputs: [['days', 'number', '30'], ['min', 'number', '1'], ['max', 'number']],
    json: (v) => ({ days: num(v.days), ...range(v, 'min', 'max') }) },
  daysSinceLastPurchase: { inputs: [['min', 'number', '30'], ['max', 'number']], json: (v) => range(v, 'min', 'max') },
  checkInStreak: { inputs: [['min', 'number', '7']], json: (v) => ({ min: num(v.min) }) },
  funnelStage: { inputs: [['reached', STAGES], ['minDaysAgo', 'number']],
    json: (v) => clean({ reached: v.reached, minDaysAgo: num(v.minDaysAgo) }) },
  inWeComGroup: { inputs: [['chatId', 'text']], json: (v) => clean({ chatId: v.chatId || undefined }) },
  hasWeComContact: { inputs: [], json: () => ({}) },
  weComTag: { inputs: [['tag', 'text', 'VIP']], json: (v) => ({ tag: v.tag }) },
  registrationChannel: { inputs: [['in', 'text', 'mini_program,pos']], json: (v) => ({ in: list(v.in) }) },
  store: { inputs: [['in', 'text', 'SH-001']], json: (v) => ({ in: list(v.in) }) },
  contactState: { inputs: [['in', 'text', 'store-qr']], json: (v) => ({ in: list(v.in) }) },
  joinState: { inputs: [['in', 'text']], json: (v) => ({ in: list(v.in) }) },
  consent: { inputs: [['purpose', 'text', 'marketing']], json: (v) => ({ purpose: v.purpose }) },
};

function list(text) {
  return (text || '').split(',').map((x) => x.trim()).filter(Boolean);
}
function num(text) {
  return text === '' || text === undefined ? undefined : Number(text);
}
function clean(object) {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined && v !== ''));
}
function range(v, low, high) {
  return clean({ [low]: num(v[low]), [high]: num(v[high]) });
}
function fen(v) {
  return clean({ minFen: v.minYuan === '' ? undefined : Math.round(Number(v.minYuan) * 100),
    maxFen: v.maxYuan === '' ? undefined : Math.round(Number(v.maxYuan) * 100) });
}

/** The builder's model: a group holds criteria and groups; either may be negated. */
function newGroup() {
  return { kind: 'group', op: 'and', not: false, items: [] };
}
function newCriterion(type = 'tier') {
  const values = Object.fromEntries(CRITERIA[type].inputs.map(([name, kind, initial]) =>
    [name, Array.isArray(kind) ? (initial ?? kind[1] ?? kind[0]) : (initial ?? '')]));
  return { kind: 'criterion', type, not: false, values };
}

/** The model as the API's criteria JSON; null while empty. */
export function toCriteria(node) {
  let json;
  if (node.kind === 'criterion') {
    json = { [node.type]: CRITERIA[node.type].json(node.values) };
  } else {
    const items = node.items.map(toCriteria).filter(Boolean);
    if (items.length === 0) return null;
    json = items.length === 1 ? items[0] : { [node.op]: items };
  }
  return node.not ? { not: json } : json;
}

export async function render(main, { language }) {
  const root = newGroup();
  root.items.push(newCriterion('tier'));
  const builder = el('div', { 'data-testid': 'builder' });
  const preview = el('div', { class: 'preview', 'data-testid': 'preview-count' });
  const previewError = el('p', { class: 'error', 'data-testid': 'preview-error' });
  const criteriaView = el('pre', { class: 'muted', 'data-testid': 'criteria-json' });
  const savedList = el('div', { class: 'list', 'data-testid': 'segment-list' });
  const detail = el('div', { class: 'card', 'data-testid': 'segment-detail', hidden: true });
  const idInput = el('input', { 'data-testid': 'segment-id', placeholder: 'vip-2026' });
  const nameInput = el('input', { 'data-testid': 'segment-name' });
  const saveMessage = el('p', { 'data-testid': 'save-message' });
  let timer = null;
  let sequence = 0;

  function changed() {
    drawBuilder();
    clearTimeout(timer);
    timer = setTimeout(refreshPreview, 250);
  }

  async function refreshPreview() {
    const criteria = toCriteria(root);
    criteriaView.textContent = criteria ? JSON.stringify(criteria) : '';
    previewError.textContent = '';
    if (!criteria) {
      preview.textContent = t('segments.previewEmpty');
      preview.dataset.count = '';
      return;
    }
    const mine = ++sequence;
    preview.dataset.state = 'loading';
    try {
      const answer = await api('POST', '/segments/preview', { criteria });
      if (mine !== sequence) return;
      preview.textContent = t('segments.preview', { count: formatNumber(answer.count, language),
        members: formatNumber(answer.members, language) });
      preview.dataset.count = String(answer.count);
      preview.dataset.criteria = JSON.stringify(criteria);
      preview.dataset.state = 'ready';
    } catch (failure) {
      if (mine !== sequence) return;
      preview.dataset.state = 'error';
      preview.textContent = '–';
      preview.dataset.count = '';
      previewError.textContent = explain(failure);
    }
  }

  function drawNode(node, parent, depth) {
    const notBox = el('label', { class: 'row' }, el('input', { type: 'checkbox', checked: node.not,
      'data-testid': 'not', onchange: (e) => { node.not = e.target.checked; changed(); } }), t('segments.not'));
    const remove = parent ? el('button', { type: 'button', 'data-testid': 'remove', onclick: () => {
      parent.items.splice(parent.items.indexOf(node), 1); changed();
    } }, t('segments.remove')) : null;
    if (node.kind === 'criterion') {
      const type = el('select', { 'data-testid': 'criterion-type', onchange: (e) => {
        Object.assign(node, newCriterion(e.target.value), { not: node.not }); changed();
      } }, Object.keys(CRITERIA).map((k) => el('option', { value: k, selected: k === node.type }, k)));
      const inputs = CRITERIA[node.type].inputs.map(([name, kind]) => {
        const control = Array.isArray(kind)
          ? el('select', { 'data-testid': `input-${name}` }, kind.map((o) => el('option', { value: o, selected: node.values[name] === o }, o)))
          : el('input', { type: kind, value: node.values[name], placeholder: name, 'data-testid': `input-${name}` });
        control.addEventListener('input', (e) => { node.values[name] = e.target.value; clearTimeout(timer); timer = setTimeout(refreshPreview, 250); });
        control.addEventListener('change', (e) => { node.values[name] = e.target.value; clearTimeout(timer); timer = setTimeout(refreshPreview, 250); });
        return el('label', { class: 'row' }, name, control);
      });
      return el('div', { class: 'row', 'data-testid': 'criterion' }, notBox, type, inputs, remove);
    }
    const op = el('select', { 'data-testid': 'group-op', onchange: (e) => { node.op = e.target.value; changed(); } },
      el('option', { value: 'and', selected: node.op === 'and' }, t('segments.all')),
      el('option', { value: 'or', selected: node.op === 'or' }, t('segments.any')));
    return el('div', { class: `group${node.not ? ' negated' : ''}`, 'data-testid': depth === 0 ? 'root-group' : 'group' },
      el('div', { class: 'row' }, notBox, op, remove),
      node.items.map((item) => drawNode(item, node, depth + 1)),
      el('div', { class: 'row' },
        el('button', { type: 'button', 'data-testid': 'add-criterion', onclick: () => { node.items.push(newCriterion()); changed(); } }, t('segments.addCriterion')),
        depth < 3 ? el('button', { type: 'button', 'data-testid': 'add-group', onclick: () => { node.items.push(newGroup()); changed(); } }, t('segments.addGroup')) : null));
  }

  function drawBuilder() {
    builder.replaceChildren(drawNode(root, null, 0));
  }

  async function showSegment(id) {
    const [segment, growth] = await Promise.all([api('GET', `/segments/${encodeURIComponent(id)}`),
      api('GET', `/segments/${encodeURIComponent(id)}/growth`)]);
    savedList.querySelectorAll('button').forEach((b) => b.classList.toggle('active', b.dataset.id === id));
    const tagInput = el('input', { 'data-testid': 'tag-id', value: segment.weComTagId || '' });
    const tagMessage = el('p', { 'data-testid': 'tag-message' });
    const growthChart = el('div', { class: 'chart small', 'data-testid': 'chart-growth' });
    detail.hidden = false;
    detail.replaceChildren(
      el('h2', {}, `${segment.name} (${segment.segmentId})`),
      el('p', {}, `${t('segments.count')}: `, el('strong', { 'data-testid': 'segment-count' }, formatNumber(segment.count, language)),
        ` · ${t('segments.recorded')}: ${formatNumber(segment.recorded, language)}`),
      el('pre', { class: 'muted' }, JSON.stringify(segment.criteria)),
      el('div', { class: 'row' }, el('label', { class: 'row' }, t('segments.tag'), tagInput),
        el('button', { type: 'button', 'data-testid': 'bind-tag', onclick: async () => {
          try {
            const bound = await api('PUT', `/segments/${encodeURIComponent(id)}/wecom-tag`, { tagId: tagInput.value.trim() });
            tagMessage.className = 'ok';
            tagMessage.textContent = t('segments.bound', { tag: bound.tagName || bound.tagId });
          } catch (failure) {
            tagMessage.className = 'error';
            tagMessage.textContent = failure.message;
          }
        } }, t('segments.bind')),
        el('button', { type: 'button', onclick: async () => {
          await api('DELETE', `/segments/${encodeURIComponent(id)}/wecom-tag`);
          tagMessage.className = 'ok';
          tagMessage.textContent = '';
          tagInput.value = '';
        } }, t('segments.unbind'))),
      tagMessage,
      el('h2', {}, t('segments.growth')), growthChart);
    chart(growthChart, {
      tooltip: { trigger: 'axis' }, grid: { left: 48, right: 12, top: 12, bottom: 24 },
      xAxis: { type: 'category', data: growth.days.map((d) => d.day.slice(5)) }, yAxis: { type: 'value' },
      series: [{ type: 'line', name: t('segments.count'), data: growth.days.map((d) => d.members), color: COLORS[0], areaStyle: {} },
        { type: 'bar', name: '+', data: growth.days.map((d) => d.entered), color: COLORS[1] },
        { type: 'bar', name: '−', data: growth.days.map((d) => -d.left), color: COLORS[3] }],
    });
  }

  async function loadSaved() {
    const all = await api('GET', '/segments');
    savedList.replaceChildren(...all.map((s) => el('button', { type: 'button', 'data-id': s.segmentId,
      'data-testid': `segment-${s.segmentId}`, onclick: () => showSegment(s.segmentId) },
    `${s.name} · ${formatNumber(s.count, language)}`)));
  }

  const save = el('button', { type: 'button', class: 'primary', 'data-testid': 'save-segment', onclick: async () => {
    saveMessage.textContent = '';
    try {
      const saved = await api('POST', '/segments', { segmentId: idInput.value.trim(), name: nameInput.value.trim(),
        criteria: toCriteria(root) });
      saveMessage.className = 'ok';
      saveMessage.textContent = t('segments.saved.ok', { id: saved.segmentId });
      await loadSaved();
      await showSegment(saved.segmentId);
    } catch (failure) {
      saveMessage.className = 'error';
      saveMessage.textContent = explain(failure);
    }
  } }, t('segments.save'));

  main.replaceChildren(el('section', { class: 'grid-split' },
    el('div', { class: 'card' }, el('h2', {}, t('segments.saved')), savedList),
    el('div', { class: 'card' }, el('h2', {}, t('segments.builder')), builder,
      el('div', { class: 'row' }, preview), previewError, criteriaView,
      el('div', { class: 'row' }, el('label', { class: 'row' }, t('segments.id'), idInput),
        el('label', { class: 'row' }, t('segments.name'), nameInput), save), saveMessage)),
  detail);
  drawBuilder();
  await Promise.all([refreshPreview(), loadSaved()]);
}
