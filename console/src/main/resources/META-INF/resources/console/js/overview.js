// Overview: members, monthly active members, points liability, points per week, members per tier.
import { api, el, formatNumber } from '/shared/api.js';
import { t } from '/shared/i18n.js';
import { chart, COLORS } from '/console/js/charts.js';

export async function render(main, { language }) {
  const o = await api('GET', '/overview?weeks=26');
  const kpi = (testid, label, value, hint) => el('div', { class: 'card kpi', 'data-testid': testid },
    el('h2', {}, label), el('div', { class: 'value' }, value), el('div', { class: 'hint' }, hint));
  const share = o.members ? Math.round((1000 * o.monthlyActive) / o.members) / 10 : 0;
  const weekly = el('div', { class: 'chart', 'data-testid': 'chart-weekly' });
  const tiers = el('div', { class: 'chart', 'data-testid': 'chart-tiers' });
  main.replaceChildren(
    el('section', { class: 'kpis' },
      kpi('kpi-members', t('overview.members'), formatNumber(o.members, language), o.today),
      kpi('kpi-mau', t('overview.mau'), formatNumber(o.monthlyActive, language),
        `${share}% · ${t('overview.mauHint', { days: o.activeDays })}`),
      kpi('kpi-liability', t('overview.liability'), `¥${formatNumber(o.points.valueFen / 100, language)}`,
        t('overview.liabilityHint', { points: formatNumber(o.points.outstanding, language), rate: o.points.yuanPerPoint }))),
    el('section', { class: 'grid2' },
      el('div', { class: 'card' }, el('h2', {}, t('overview.weekly')), weekly),
      el('div', { class: 'card' }, el('h2', {}, t('overview.tiers')), tiers)));
  const series = ['earned', 'redeemed', 'reversed', 'expired'].map((kind, i) => ({
    name: t(`overview.${kind}`), type: kind === 'earned' ? 'bar' : 'line', smooth: true, color: COLORS[i],
    data: o.weeks.map((w) => w[kind]),
  }));
  chart(weekly, {
    tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: { left: 48, right: 12, top: 32, bottom: 24 },
    xAxis: { type: 'category', data: o.weeks.map((w) => w.week.slice(5)) }, yAxis: { type: 'value' }, series,
  });
  chart(tiers, {
    tooltip: {}, grid: { left: 60, right: 48, top: 8, bottom: 24 },
    xAxis: { type: 'value' }, yAxis: { type: 'category', data: o.tiers.map((x) => x.tier) },
    series: [{ type: 'bar', data: o.tiers.map((x) => x.members), color: COLORS[1], label: { show: true, position: 'right' } }],
  });
}
