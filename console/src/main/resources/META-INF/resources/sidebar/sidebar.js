// The agent's WeCom chat sidebar: one customer's tier, points, streak, consents, WeCom relationship and timeline.
// Inside WeCom: WeCom's OAuth code (?code=) signs the staff member in (POST /auth/wecom), ww.register signs the page
// with the engine's agent-config signature (GET /wecom/sidebar/config) and getCurExternalContact names the customer.
// At a desk (or in tests): ?memberId= with an agent credential.
import { api, el, session, signInWithCode, signInWithCredential, formatNumber, ApiError } from '/shared/api.js';
import { lang, setLang, t, addWords } from '/shared/i18n.js';

addWords({
  en: {
    'sb.title': 'Customer', 'sb.tier': 'Tier', 'sb.points': 'Points', 'sb.streak': 'Streak', 'sb.next': 'Next: {tier}, {needed} to go',
    'sb.consents': 'Consents', 'sb.wecom': 'WeCom relationship', 'sb.staff': 'Staff', 'sb.groups': 'Groups', 'sb.tags': 'Tags',
    'sb.timeline': 'Timeline', 'sb.more': 'Older', 'sb.none': 'none', 'sb.since': 'since {day}',
    'sb.signIn': 'Agent credential (siyu_…)', 'sb.open': 'Open', 'sb.outside': 'Open this page from a chat\'s sidebar in WeCom, or add ?memberId= at a desk.',
    'sb.unknown': 'This contact is not a member yet.', 'sb.erased': 'This member was erased.', 'sb.forbidden': 'Only the customer\'s own staff contacts may see this customer.',
  },
  zh: {
    'sb.title': '客户详情', 'sb.tier': '等级', 'sb.points': '积分', 'sb.streak': '连续签到', 'sb.next': '升级到{tier}还需 {needed}',
    'sb.consents': '授权', 'sb.wecom': '企业微信关系', 'sb.staff': '跟进员工', 'sb.groups': '所在群', 'sb.tags': '标签',
    'sb.timeline': '时间线', 'sb.more': '更早', 'sb.none': '无', 'sb.since': '{day} 起',
    'sb.signIn': '客服凭证（siyu_…）', 'sb.open': '打开', 'sb.outside': '请在企业微信聊天侧边栏中打开，或在桌面端加上 ?memberId=。',
    'sb.unknown': '该联系人还不是会员。', 'sb.erased': '该会员已被删除。', 'sb.forbidden': '仅该客户的跟进员工可以查看。',
  },
});

const main = document.getElementById('main');
const params = new URLSearchParams(location.search);

function say(text, testid = 'message', cls = 'muted') {
  main.replaceChildren(el('section', { class: cls, 'data-testid': testid }, text));
}

function day(instant) {
  return instant ? new Date(instant).toLocaleDateString(lang() === 'zh' ? 'zh-CN' : 'en-CA', { timeZone: 'Asia/Shanghai' }) : '';
}

function when(instant) {
  return new Date(instant).toLocaleString(lang() === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: 'Asia/Shanghai',
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

async function signedIn() {
  const code = params.get('code');
  // WeCom's code is fresh proof of who is at the sidebar: it replaces whatever session the tab had
  if (code) {
    await signInWithCode('/api/v1/auth/wecom', code);
    // a code works once: take it out of the address so a reload does not present it again
    params.delete('code');
    params.delete('state');
    history.replaceState(null, '', `${location.pathname}${params.toString() ? `?${params}` : ''}`);
  }
  if (session()) return true;
  if (!params.get('memberId')) {
    say(t('sb.outside'), 'outside');
    return false;
  }
  const input = el('input', { type: 'password', 'data-testid': 'credential', placeholder: 'siyu_…' });
  const error = el('p', { class: 'error', 'data-testid': 'sign-in-error' });
  main.replaceChildren(el('section', {}, el('form', { onsubmit: async (event) => {
    event.preventDefault();
    try {
      await signInWithCredential(input.value);
      start();
    } catch (failure) {
      error.textContent = failure.message;
    }
  } }, el('h2', {}, t('sb.signIn')), input, el('p', {}, el('button', { type: 'submit', 'data-testid': 'sign-in' }, t('sb.open'))), error)));
  return false;
}

/** Inside WeCom (its client's user agent names wxwork): the customer of the chat this sidebar is open beside. */
async function currentExternalUser() {
  const ww = window.ww;
  if (!/wxwork/i.test(navigator.userAgent) || !ww || typeof ww.register !== 'function') return null;
  const config = await api('GET', `/wecom/sidebar/config?url=${encodeURIComponent(location.href.split('#')[0])}`);
  ww.register({
    corpId: config.corpId,
    agentId: config.agentId,
    jsApiList: ['getCurExternalContact'],
    getAgentConfigSignature: () => ({ timestamp: config.timestamp, nonceStr: config.nonceStr, signature: config.signature }),
  });
  const contact = await ww.getCurExternalContact();
  return contact.userId;
}

async function start() {
  setLang(lang());
  document.getElementById('language').textContent = lang() === 'zh' ? 'English' : '中文';
  document.querySelector('[data-testid=title]').textContent = t('sb.title');
  try {
    if (!(await signedIn())) return;
    const memberId = params.get('memberId');
    let profile;
    if (memberId) {
      profile = await api('GET', `/members/${encodeURIComponent(memberId)}/profile`);
    } else {
      const externalUserId = await currentExternalUser().catch((failure) => {
        // WeCom not configured on this engine (503), or the SDK refused: not a chat's sidebar
        if (failure instanceof ApiError && failure.status !== 503) throw failure;
        return null;
      });
      if (!externalUserId) {
        say(t('sb.outside'), 'outside');
        return;
      }
      profile = await api('GET', `/wecom/contacts/${encodeURIComponent(externalUserId)}/profile`);
    }
    await show(profile);
  } catch (failure) {
    if (failure instanceof ApiError && failure.status === 404) say(t('sb.unknown'), 'unknown');
    else if (failure instanceof ApiError && failure.status === 403) say(t('sb.forbidden'), 'forbidden', 'error');
    else say(failure.message, 'error', 'error');
  }
}

async function show(profile) {
  const id = encodeURIComponent(profile.memberId);
  const [points, tier] = await Promise.all([api('GET', `/members/${id}/points`), api('GET', `/members/${id}/tier`, undefined, lang())]);
  const tierName = lang() === 'zh' ? tier.tier.name : tier.tier.nameEn;
  const next = tier.next ? t('sb.next', { tier: lang() === 'zh' ? tier.next.tier.name : tier.next.tier.nameEn,
    needed: tier.basis === 'points' ? formatNumber(tier.next.needed) : `¥${formatNumber(tier.next.needed / 100)}` }) : '';
  const figure = (testid, value, label) => el('div', { 'data-testid': testid }, el('div', { class: 'value' }, value), el('div', { class: 'label' }, label));
  const consents = Object.entries(profile.consents);
  const timeline = el('ol', { class: 'timeline', 'data-testid': 'timeline' });
  const more = el('button', { type: 'button', 'data-testid': 'timeline-more', hidden: true }, t('sb.more'));
  main.replaceChildren(
    el('section', {}, el('div', { class: 'figures' },
      figure('tier', tierName, t('sb.tier')), figure('points', formatNumber(points.balance), t('sb.points')),
      figure('streak', String(points.streak ?? 0), t('sb.streak'))),
    next ? el('p', { class: 'muted', 'data-testid': 'next-tier' }, next) : null,
    profile.erased ? el('p', { class: 'error' }, t('sb.erased')) : null),
    el('section', { 'data-testid': 'consents' }, el('h2', {}, t('sb.consents')), el('div', { class: 'chips' },
      consents.length ? consents.map(([purpose, granted]) => el('span', { class: `chip ${granted ? 'yes' : 'no'}` },
        `${granted ? '✓' : '✗'} ${purpose}`)) : el('span', { class: 'muted' }, t('sb.none')))),
    el('section', { 'data-testid': 'wecom' }, el('h2', {}, t('sb.wecom')),
      el('div', {}, `${t('sb.staff')}: `, profile.contacts.length ? profile.contacts.map((c) =>
        el('div', { 'data-testid': 'staff' }, `${c.staffUserId} · ${t('sb.since', { day: day(c.since) })}${c.state ? ` · ${c.state}` : ''}`,
          c.tags.length ? el('div', { class: 'chips' }, c.tags.map((tag) => el('span', { class: 'chip' }, tag))) : null))
        : t('sb.none')),
      el('div', {}, `${t('sb.groups')}: `, profile.groups.length ? profile.groups.map((g) =>
        el('span', { class: 'chip', 'data-testid': 'group' }, `${g.chatId} · ${day(g.joinedAt)}`)) : t('sb.none'))),
    el('section', {}, el('h2', {}, t('sb.timeline')), timeline, more));
  let before = null;
  async function page() {
    more.disabled = true;
    const answer = await api('GET', `/members/${id}/timeline?limit=10${before ? `&before=${encodeURIComponent(before)}` : ''}`, undefined, lang());
    answer.entries.forEach((entry) => timeline.append(el('li', { 'data-testid': 'timeline-entry' },
      el('div', {}, entry.line), el('div', { class: 'when' }, when(entry.at)))));
    before = answer.nextBefore;
    more.hidden = !before;
    more.disabled = false;
    timeline.dataset.total = String(answer.total);
  }
  more.addEventListener('click', page);
  await page();
  if (performance.getEntriesByName('siyu:first-content').length === 0) performance.mark('siyu:first-content');
}

document.getElementById('language').addEventListener('click', () => {
  setLang(lang() === 'zh' ? 'en' : 'zh');
  start();
});
start();
