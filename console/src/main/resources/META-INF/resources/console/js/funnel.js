// The private-domain funnel: cohorts, cuts, as-of, a funnel chart, and a stage's members (figures only).
import { api, explain, el, query, shortId, formatNumber } from '/shared/api.js';
import { t } from '/shared/i18n.js';
import { chart, COLORS } from '/console/js/charts.js';

const CHANNELS = ['', 'mini_program', 'pos', 'tmall', 'jd', 'douyin', 'wecom', 'other'];

function isoDay(date) {
  return date.toISOString().slice(0, 10);
}

export async function render(main, { language }) {
  const today = new Date();
  const yearAgo = new Date(today.getTime() - 365 * 86400000);
  const input = (name, type, value) => el('input', { name, type, value, 'data-testid': `funnel-${name}` });
  const fields = {
    from: input('from', 'date', isoDay(yearAgo)),
    to: input('to', 'date', isoDay(today)),
    cohortBy: el('select', { name: 'cohortBy', 'data-testid': 'funnel-cohortBy' },
      el('option', { value: 'month' }, t('funnel.month')), el('option', { value: 'week' }, t('funnel.week'))),
    channel: el('select', { name: 'channel', 'data-testid': 'funnel-channel' },
      CHANNELS.map((c) => el('option', { value: c }, c || t('funnel.any')))),
    store: input('store', 'text', ''),
    contactState: input('contactState', 'text', ''),
    joinState: input('joinState', 'text', ''),
    asOf: input('asOf', 'date', ''),
  };
  const cohortSelect = el('select', { 'data-testid': 'funnel-cohort' });
  const funnelChart = el('div', { class: 'chart', 'data-testid': 'chart-funnel' });
  const table = el('div', { 'data-testid': 'funnel-table' });
  const members = el('div', { class: 'card', 'data-testid': 'stage-members', hidden: true });
  const message = el('p', { class: 'error', 'data-testid': 'funnel-error' });
  let report = null;
  let instance = null;

  const cuts = () => ({
    cohortBy: fields.cohortBy.value, channel: fields.channel.value, store: fields.store.value.trim(),
    contactState: fields.contactState.value.trim(), joinState: fields.joinState.value.trim(),
    asOf: endOfDay(fields.asOf.value),
  });

  async function openStage(stage, after) {
    const cohort = cohortSelect.value;
    const params = { ...cuts(), limit: 20, after };
    if (cohort) params.cohort = cohort; else { params.from = fields.from.value; params.to = fields.to.value; }
    let page;
    try {
      page = await api('GET', `/funnels/private-domain/stages/${stage}/members${query(params)}`);
    } catch (failure) {
      message.textContent = explain(failure);
      return;
    }
    members.hidden = false;
    const rows = page.members.map((m) => el('tr', { 'data-testid': 'stage-member' },
      el('td', { title: m.memberId }, shortId(m.memberId)), el('td', {}, m.registeredDay), el('td', {}, m.channel),
      el('td', {}, m.storeId || '–'), el('td', {}, m.tier), el('td', { class: 'num' }, formatNumber(m.pointsBalance, language)),
      el('td', { class: 'num' }, m.checkInStreak), el('td', {}, new Date(m.stageReachedAt).toLocaleString(language === 'zh' ? 'zh-CN' : 'en-GB',
        { timeZone: 'Asia/Shanghai' }))));
    members.replaceChildren(
      el('h2', { 'data-testid': 'stage-members-title' }, t('funnel.membersOf', { stage: t(`stage.${stage}`), count: page.count })),
      el('p', { class: 'muted' }, t('funnel.masked')),
      el('table', {}, el('thead', {}, el('tr', {}, ['member.id', 'member.registered', 'member.channel', 'member.store',
        'member.tier', 'member.points', 'member.streak', 'member.reachedAt'].map((k) =>
        el('th', { class: k === 'member.points' || k === 'member.streak' ? 'num' : '' }, t(k))))), el('tbody', {}, rows)),
      ...(page.nextAfter ? [el('p', {}, el('button', { 'data-testid': 'stage-members-next',
        onclick: () => openStage(stage, page.nextAfter) }, t('funnel.next')))] : []));
  }

  function draw() {
    const chosen = report.cohorts.find((c) => c.firstDay === cohortSelect.value) || report.total;
    const data = chosen.stages.map((s) => ({ name: t(`stage.${s.stage}`), value: s.members, stage: s.stage }));
    if (instance) instance.dispose();
    instance = chart(funnelChart, {
      tooltip: { formatter: (p) => `${p.name}: ${p.value}` },
      color: COLORS,
      series: [{ type: 'funnel', sort: 'none', minSize: '8%', left: 20, right: 20, top: 10, bottom: 10, gap: 2,
        label: { formatter: (p) => `${p.name}  ${p.value}` }, data }],
    });
    instance.on('click', (p) => openStage(p.data.stage));
    table.replaceChildren(el('table', {},
      el('thead', {}, el('tr', {}, el('th', {}, t('funnel.stage')), el('th', { class: 'num' }, t('funnel.stageMembers')),
        el('th', { class: 'num' }, t('funnel.conversion')), el('th', {}, t('funnel.median')), el('th', {}))),
      el('tbody', {}, chosen.stages.map((s) => el('tr', { 'data-testid': `stage-${s.stage}` },
        el('td', {}, t(`stage.${s.stage}`)), el('td', { class: 'num', 'data-testid': 'stage-count' }, formatNumber(s.members, language)),
        el('td', { class: 'num' }, s.conversion === null ? '–' : `${(s.conversion * 100).toFixed(1)}%`),
        el('td', {}, s.medianMinutesFromPrevious === null ? '–' : humanMinutes(s.medianMinutesFromPrevious)),
        el('td', {}, el('button', { 'data-testid': `open-${s.stage}`, onclick: () => openStage(s.stage) }, t('funnel.open'))))))));
  }

  async function load() {
    message.textContent = '';
    members.hidden = true;
    try {
      report = await api('GET', `/funnels/private-domain${query({ ...cuts(), from: fields.from.value, to: fields.to.value })}`);
    } catch (failure) {
      // what was shown answered other filters: take it away with the error
      message.textContent = explain(failure);
      report = null;
      if (instance) instance.dispose();
      instance = null;
      table.replaceChildren();
      return;
    }
    const chosen = cohortSelect.value;
    cohortSelect.replaceChildren(el('option', { value: '' }, t('funnel.all')),
      ...report.cohorts.map((c) => el('option', { value: c.firstDay }, c.cohort)));
    if (report.cohorts.some((c) => c.firstDay === chosen)) cohortSelect.value = chosen;
    draw();
  }

  cohortSelect.addEventListener('change', () => { members.hidden = true; if (report) draw(); });
  const form = el('form', { class: 'card filters', onsubmit: (e) => { e.preventDefault(); load(); } },
    ['from', 'to', 'cohortBy', 'channel', 'store', 'contactState', 'joinState', 'asOf'].map((k) =>
      el('label', {}, t(`funnel.${k}`), fields[k])),
    el('button', { type: 'submit', class: 'primary', 'data-testid': 'funnel-show' }, t('funnel.show')));
  main.replaceChildren(form, message,
    el('section', { class: 'grid-even' },
      el('div', { class: 'card' }, el('label', { class: 'row' }, t('funnel.cohort'), cohortSelect), funnelChart),
      el('div', { class: 'card' }, table)),
    members);
  await load();
}

/** The end of a business day (Asia/Shanghai) as an instant; none for today or later (the API's now). */
function endOfDay(day) {
  if (!day) return undefined;
  const end = new Date(`${day}T23:59:59+08:00`);
  return end < new Date() ? end.toISOString() : undefined;
}

function humanMinutes(minutes) {
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) return `${(minutes / 60).toFixed(1)} h`;
  return `${(minutes / 1440).toFixed(1)} d`;
}
