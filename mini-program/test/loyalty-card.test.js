// The loyalty card in Tencent's component test kit (miniprogram-simulate), against a running Siyu engine and the
// WeChat simulator (started by crm-engine's MiniProgramWidgetTest, which passes their addresses).
const fs = require('fs');
const path = require('path');
const simulate = require('miniprogram-simulate');
const { install, httpCall } = require('./wx');

const API = process.env.SIYU_API;
const WECHAT = process.env.WECHAT_SIM;
const INTEGRATION = process.env.SIYU_INTEGRATION;
// the engine's clock may run ahead of this machine's (engine tests move it forward): a sale happens on its time
const OFFSET = Number(process.env.SIYU_CLOCK_OFFSET_MS || 0);
const engineNow = () => new Date(Date.now() + OFFSET).toISOString();
const COMPONENT = path.join(__dirname, '../miniprogram/components/loyalty-card/index');

if (!API || !WECHAT || !INTEGRATION) {
  throw new Error('SIYU_API, WECHAT_SIM and SIYU_INTEGRATION name the engine and simulator (run through MiniProgramWidgetTest)');
}

async function until(what, check, millis = 20000) {
  const deadline = Date.now() + millis;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function text(component, selector) {
  const node = component.querySelector(selector);
  return node ? node.dom.textContent.trim() : null;
}

// loaded once: the component's script runs (and registers it) when first required
let loaded = null;

async function card(openid, language = 'zh') {
  const wx = install({ wechat: WECHAT, openid });
  loaded = loaded || simulate.load(COMPONENT);
  const component = simulate.render(loaded, { apiBase: API, language });
  component.attach(document.createElement('parent-wrapper'));
  await until('the card to load', () => component.data.state !== 'loading');
  expect(component.data.error).toBe('');
  return { component, wx };
}

/**
 * The rendered card as a web page (its WXSS as miniprogram-simulate compiled it, rpx at a 375 px wide phone), for
 * crm-engine's test to photograph in Chromium when SIYU_ARTIFACTS names where to put it.
 */
function picture(component) {
  if (!process.env.SIYU_ARTIFACTS) return;
  // miniprogram-simulate compiles 1rpx to 1px: the page is 750 px wide, shown at half size like a 375 px phone
  const styles = [...document.querySelectorAll('style')].map((style) => style.textContent).join('\n');
  const page = `<!doctype html><html><head><meta charset="utf-8"><style>
    html { zoom: 0.5; }
    body { margin: 0; width: 750px; background: #f5f6f7; font-family: "Noto Sans CJK SC", sans-serif; font-size: 28px; }
    wx-view, wx-button { display: block; } wx-text { display: inline; }
    wx-button { text-align: center; padding: 20px; border-radius: 12px; font-size: 32px; }
    wx-button[disabled] { opacity: .6; }
    ${styles}</style></head><body>${component.dom.outerHTML}</body></html>`;
  fs.mkdirSync(process.env.SIYU_ARTIFACTS, { recursive: true });
  fs.writeFileSync(path.join(process.env.SIYU_ARTIFACTS, 'mini-program-card.html'), page);
}

const openid = () => `oJest${Date.now()}${Math.floor(Math.random() * 1e6)}`;

describe('the loyalty card', () => {
  test('signs in with wx.login and shows points, tier, streak and the member code as a QR code', async () => {
    const { component, wx } = await card(openid());
    // the card's first calls share one sign-in
    expect(wx.calls.filter((c) => c === 'POST /api/v1/auth/mini-program')).toHaveLength(1);
    expect(wx.calls[0]).toBe('POST /api/v1/auth/mini-program');
    expect(wx.calls.filter((c) => !c.includes('/me/') && !c.includes('/auth/'))).toEqual([]);
    expect(text(component, '#balance')).toBe('0');
    expect(text(component, '#tier')).toBe('普卡');
    expect(text(component, '#next')).toContain('银卡');
    expect(text(component, '#member-code').replace(/ /g, '')).toMatch(/^\d{18}$/);
    const qr = component.data.qr;
    expect(qr.length).toBeGreaterThanOrEqual(21);
    expect(component.querySelectorAll('.qr-row')).toHaveLength(qr.length);
    expect(qr.every((row) => row.length === qr.length)).toBe(true);
    // the three finder patterns' corners are dark
    expect([qr[0][0], qr[0][qr.length - 1], qr[qr.length - 1][0]]).toEqual([true, true, true]);
    component.detach();
  });

  test('the check-in button checks in once a day and shows the streak and the points it earned', async () => {
    const { component } = await card(openid(), 'en');
    expect(text(component, '#check-in')).toBe('Check in');
    component.querySelector('#check-in').dispatchEvent('tap');
    await until('the check-in', () => component.data.checkedInToday && !component.data.busy);
    expect(text(component, '#streak')).toBe('Streak (days) 1');
    expect(text(component, '#earned')).toBe('+5');
    expect(text(component, '#balance')).toBe('5');
    expect(text(component, '#check-in')).toBe('Checked in today');
    expect(text(component, '#move-0')).toContain('+5');
    // a second tap the same day earns nothing, whatever the button showed
    const again = await component.instance.checkIn();
    expect(again).toMatchObject({ alreadyCheckedIn: true, pointsEarned: 0, balance: 5, streak: 1 });
    component.detach();
  });

  test('a purchase at the till shows on the card: points, history and what the next tier needs', async () => {
    const mine = openid();
    const { component } = await card(mine);
    const member = JSON.parse((await httpCall(`${API}/members/by-openid/${mine}`, {
      headers: { Authorization: `Bearer ${INTEGRATION}` } })).text);
    const code = component.data.code;
    const bought = await httpCall(`${API}/purchases`, { method: 'POST',
      headers: { Authorization: `Bearer ${INTEGRATION}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ memberCode: code, orderId: `J-${mine}`, amountFen: 12850, storeId: 'SH-001',
        channel: 'pos', occurredAt: engineNow() }) });
    expect(bought.status).toBe(200);
    expect(JSON.parse(bought.text)).toMatchObject({ memberId: member.memberId, pointsEarned: 128 });
    // the till used the code: the card shows the next one, and the used one is refused at a till
    const next = await component.instance.refreshCode();
    expect(next.code).not.toBe(code);
    expect(component.instance.rotationMillis).toBe(next.refreshInSeconds * 1000);
    await component.instance.load();
    expect(text(component, '#balance')).toBe('128');
    expect(text(component, '#move-0')).toContain('+128');
    expect(text(component, '#next')).toMatch(/871\.50/);
    picture(component);
    const reused = await httpCall(`${API}/purchases`, { method: 'POST',
      headers: { Authorization: `Bearer ${INTEGRATION}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ memberCode: code, orderId: `J2-${mine}`, amountFen: 100, storeId: 'SH-001',
        channel: 'pos', occurredAt: engineNow() }) });
    expect(reused.status).toBe(409);
    component.detach();
  });

  test('a refused token signs in again, once for all the calls it refused', async () => {
    const { component, wx } = await card(openid());
    const kept = wx.storage.get('siyu.member-token');
    wx.storage.set('siyu.member-token', { ...kept, accessToken: `${kept.accessToken}x` });
    await component.instance.load();
    expect(component.data.state).toBe('ready');
    expect(wx.calls.filter((c) => c === 'POST /api/v1/auth/mini-program')).toHaveLength(2);
    component.detach();
  });
});
