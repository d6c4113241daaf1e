// The loyalty card: the member's points and tier with what the next tier needs, the daily check-in with the streak,
// the rotating member code as a QR code for the till, and the latest points movements. Everything comes from the
// member's own routes; the member is whoever wx.login says is using the Mini Program.
const { Siyu } = require('../../lib/siyu.js');
const qrcode = require('../../vendor/qrcode-generator-2.0.4/qrcode.js');

const WORDS = {
  zh: { points: '积分', checkIn: '签到领积分', checkedIn: '今日已签到', streak: '连续签到（天）', memberCode: '会员码 · 出示给收银员',
    history: '积分明细', loading: '加载中…', expiring: '{points} 积分将于 {day} 后过期' },
  en: { points: 'Points', checkIn: 'Check in', checkedIn: 'Checked in today', streak: 'Streak (days)', memberCode: 'Member code · show at the till',
    history: 'Points history', loading: 'Loading…', expiring: '{points} points expire after {day}' },
};

/** The business day (Asia/Shanghai) of an instant, as YYYY-MM-DD. */
function shanghaiDay(millis) {
  return new Date(millis + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

/** The member code as the QR code's dark and light modules, row by row. */
function qrMatrix(code) {
  const qr = qrcode(0, 'M');
  qr.addData(code, 'Numeric');
  qr.make();
  const size = qr.getModuleCount();
  const rows = [];
  for (let r = 0; r < size; r += 1) {
    const row = [];
    for (let c = 0; c < size; c += 1) row.push(qr.isDark(r, c));
    rows.push(row);
  }
  return rows;
}

Component({
  properties: {
    /** The engine's API root, e.g. https://siyu.brand.cn/api/v1 */
    apiBase: { type: String, value: '' },
    /** zh or en */
    language: { type: String, value: 'zh' },
  },

  data: {
    state: 'loading', error: '', words: WORDS.zh, tierName: '', balance: 0, nextTier: '', expiring: '',
    streak: 0, checkedInToday: false, earnedNow: 0, busy: false, qr: [], code: '', codeText: '', history: [],
  },

  lifetimes: {
    attached() {
      this.client = new Siyu(this.data.apiBase, this.data.language);
      this.setData({ words: WORDS[this.data.language] || WORDS.zh });
      this.ready = this.load();
    },
    detached() {
      clearTimeout(this.rotation);
      this.rotation = null;
    },
  },

  pageLifetimes: {
    // back on the page: a fresh code (the one shown may have been used or expired meanwhile)
    show() {
      if (this.data.state === 'ready') this.refreshCode();
    },
  },

  methods: {
    async load() {
      try {
        const [points, tier, history] = await Promise.all([this.client.points(), this.client.tier(),
          this.client.history()]);
        this.show(points, tier, history);
        await this.refreshCode();
        this.setData({ state: 'ready' });
      } catch (failure) {
        this.setData({ state: 'error', error: failure.message });
      }
    },

    show(points, tier, history) {
      const zh = this.data.language !== 'en';
      const words = this.data.words;
      const expiring = points.expiringSoon ? words.expiring.replace('{points}', points.expiringSoon.points)
        .replace('{day}', points.expiringSoon.lastUsableDay) : '';
      this.setData({
        balance: points.balance,
        streak: points.streak || 0,
        checkedInToday: points.lastCheckInDay === shanghaiDay(Date.now()),
        tierName: zh ? tier.tier.name : tier.tier.nameEn,
        nextTier: tier.next ? (zh ? tier.next.messageZh : tier.next.message) : '',
        expiring,
        history: history.movements.map((m) => ({ sequence: m.sequence, points: m.points, reason: m.reason, at: m.at })),
      });
    },

    async refreshCode() {
      clearTimeout(this.rotation);
      const code = await this.client.memberCode();
      this.setData({ code: code.code, codeText: code.code.replace(/(\d{4})(?=\d)/g, '$1 '), qr: qrMatrix(code.code) });
      // a code lives a minute and works once: show the next one before this one runs out
      this.rotationMillis = Math.max(5, code.refreshInSeconds) * 1000;
      this.rotation = setTimeout(() => this.refreshCode().catch(() => {}), this.rotationMillis);
      return code;
    },

    async checkIn() {
      if (this.data.busy) return null;
      this.setData({ busy: true });
      try {
        const answer = await this.client.checkIn();
        this.setData({ streak: answer.streak, balance: answer.balance, checkedInToday: true,
          earnedNow: answer.pointsEarned });
        const [history, tier] = await Promise.all([this.client.history(), this.client.tier()]);
        const zh = this.data.language !== 'en';
        this.setData({ history: history.movements.map((m) => ({ sequence: m.sequence, points: m.points,
          reason: m.reason, at: m.at })), nextTier: tier.next ? (zh ? tier.next.messageZh : tier.next.message) : '' });
        return answer;
      } catch (failure) {
        wx.showToast({ title: failure.message, icon: 'none' });
        return null;
      } finally {
        this.setData({ busy: false });
      }
    },
  },
});
