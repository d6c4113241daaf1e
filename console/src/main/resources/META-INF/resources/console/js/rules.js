// Rules and rewards: the earning-rule versions (read; operators publish) and the reward catalogue with stock.
import { api, explain, el, formatNumber } from '/shared/api.js';
import { t } from '/shared/i18n.js';

export async function render(main, { role, language }) {
  const [versions, rewards] = await Promise.all([api('GET', '/admin/earning-rules'), loadRewards()]);
  const rows = versions.map((v) => el('tr', { 'data-testid': `rules-version-${v.version}` },
    el('td', { class: 'num' }, v.version),
    el('td', {}, v.effectiveFrom ? new Date(v.effectiveFrom).toLocaleString() : t('rules.configured')),
    el('td', { class: 'num' }, v.rules.pointsPerYuan),
    el('td', { class: 'num' }, v.rules.checkInPoints),
    el('td', {}, el('pre', {}, summary(v.rules)))));
  const sections = [el('div', { class: 'card', 'data-testid': 'rules-versions' }, el('h2', {}, t('rules.versions')),
    el('table', {}, el('thead', {}, el('tr', {}, el('th', { class: 'num' }, t('rules.version')), el('th', {}, t('rules.effectiveFrom')),
      el('th', { class: 'num' }, t('rules.pointsPerYuan')), el('th', { class: 'num' }, t('rules.checkIn')),
      el('th', {}, t('rules.details')))), el('tbody', {}, rows)))];
  if (role === 'operator') {
    sections.push(publishForm(versions));
  }
  sections.push(rewardsCard(rewards, role, language, main));
  main.replaceChildren(...sections);
}

function summary(rules) {
  const parts = [];
  for (const key of ['tierMultipliers', 'storeMultipliers', 'channelMultipliers', 'categoryMultipliers']) {
    const entries = Object.entries(rules[key] || {});
    if (entries.length) parts.push(`${key.replace('Multipliers', '')}: ${entries.map(([k, x]) => `${k} ×${x}`).join(', ')}`);
  }
  (rules.campaigns || []).forEach((c) => parts.push(`campaign ${c.id}: ×${c.multiplier} ${c.start} → ${c.end}`));
  if (rules.perOrderCap) parts.push(`cap ${rules.perOrderCap}`);
  const bonuses = Object.entries(rules.streakBonuses || {});
  if (bonuses.length) parts.push(`streak: ${bonuses.map(([d, p]) => `day ${d} +${p}`).join(', ')}`);
  return parts.join('\n') || '–';
}

function publishForm(versions) {
  const latest = versions[versions.length - 1];
  const tomorrow = new Date(Date.now() + 86400000).toISOString().slice(0, 10);
  const version = el('input', { type: 'number', value: latest.version + 1, 'data-testid': 'publish-version' });
  const from = el('input', { type: 'date', value: tomorrow, 'data-testid': 'publish-from' });
  const body = el('textarea', { 'data-testid': 'publish-rules' }, JSON.stringify(latest.rules, null, 2));
  const message = el('p', { 'data-testid': 'publish-message' });
  return el('form', { class: 'card', 'data-testid': 'rules-publish', onsubmit: async (e) => {
    e.preventDefault();
    try {
      const published = await api('POST', '/admin/earning-rules', { version: Number(version.value),
        effectiveFrom: `${from.value}T00:00:00+08:00`, rules: JSON.parse(body.value) });
      message.className = 'ok';
      message.textContent = t('rules.published', { version: published.version });
    } catch (failure) {
      message.className = 'error';
      message.textContent = explain(failure);
    }
  } }, el('h2', {}, t('rules.publish')),
  el('div', { class: 'filters' }, el('label', {}, t('rules.version'), version), el('label', {}, t('rules.effectiveFrom'), from)),
  body, el('p', {}, el('button', { type: 'submit', class: 'primary' }, t('rules.publishButton'))), message);
}

async function loadRewards() {
  const all = [];
  let after;
  do {
    const page = await api('GET', `/rewards?limit=200${after ? `&after=${encodeURIComponent(after)}` : ''}`);
    all.push(...page.rewards);
    after = page.nextAfter;
  } while (after && all.length < 1000);
  return all;
}

function rewardsCard(rewards, role, language, main) {
  const rows = rewards.map((r) => el('tr', { 'data-testid': `reward-${r.rewardId}` },
    el('td', {}, r.rewardId), el('td', {}, r.name), el('td', { class: 'num' }, formatNumber(r.pointsCost, language)),
    el('td', { class: 'num', 'data-testid': 'reward-stock' }, formatNumber(r.stock, language)),
    el('td', { class: 'num' }, r.perMemberLimit), el('td', { class: 'num' }, r.validDays)));
  const card = el('div', { class: 'card', 'data-testid': 'rewards' }, el('h2', {}, t('rewards.title')),
    el('table', {}, el('thead', {}, el('tr', {}, ['rewards.id', 'rewards.name', 'rewards.cost', 'rewards.stock', 'rewards.limit',
      'rewards.valid'].map((k, i) => el('th', { class: i > 1 ? 'num' : '' }, t(k))))), el('tbody', {}, rows)));
  if (role === 'marketer') {
    const field = (name, type, value) => el('input', { name, type, value, 'data-testid': `reward-${name}` });
    const f = { rewardId: field('rewardId', 'text', ''), name: field('name', 'text', ''), pointsCost: field('pointsCost', 'number', '100'),
      stock: field('stock', 'number', '100'), perMemberLimit: field('perMemberLimit', 'number', '1'), validDays: field('validDays', 'number', '30') };
    const message = el('p', { 'data-testid': 'reward-message' });
    card.append(el('form', { class: 'filters', onsubmit: async (e) => {
      e.preventDefault();
      try {
        const saved = await api('POST', '/rewards', { rewardId: f.rewardId.value.trim(), name: f.name.value.trim(),
          pointsCost: Number(f.pointsCost.value), stock: Number(f.stock.value), perMemberLimit: Number(f.perMemberLimit.value),
          validDays: Number(f.validDays.value) });
        message.className = 'ok';
        message.textContent = t('rewards.defined', { id: saved.rewardId });
        await render(main, { role, language });
      } catch (failure) {
        message.className = 'error';
        message.textContent = explain(failure);
      }
    } }, el('strong', {}, t('rewards.define')),
    ['rewardId', 'name', 'pointsCost', 'stock', 'perMemberLimit', 'validDays'].map((k) => el('label', {}, k, f[k])),
    el('button', { type: 'submit', class: 'primary' }, t('rewards.defineButton'))), message);
  }
  return card;
}
