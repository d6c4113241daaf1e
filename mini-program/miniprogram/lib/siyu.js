// Siyu's API from a Mini Program: wx.login's code buys a member token (POST /auth/mini-program), kept in storage
// until it expires; every call sends it. A 401 (expired, revoked) signs in again once. Only the member's own routes
// (/me/...) are called: the token can read nothing else.

const TOKEN_KEY = 'siyu.member-token';

function call(options) {
  return new Promise((resolve, reject) => {
    wx.request({
      ...options,
      success(response) {
        if (response.statusCode >= 200 && response.statusCode < 300) {
          resolve(response.data);
        } else {
          const problem = typeof response.data === 'object' && response.data ? response.data : {};
          const error = new Error(problem.detail || problem.title || `HTTP ${response.statusCode}`);
          error.status = response.statusCode;
          error.problem = problem;
          reject(error);
        }
      },
      fail(failure) {
        reject(new Error(failure && failure.errMsg ? failure.errMsg : 'network error'));
      },
    });
  });
}

function loginCode() {
  return new Promise((resolve, reject) => {
    wx.login({
      success: (result) => (result.code ? resolve(result.code) : reject(new Error('wx.login gave no code'))),
      fail: (failure) => reject(new Error(failure && failure.errMsg ? failure.errMsg : 'wx.login failed')),
    });
  });
}

class Siyu {
  /** @param apiBase the engine's API root, e.g. https://siyu.brand.cn/api/v1 */
  constructor(apiBase, language) {
    this.apiBase = apiBase.replace(/\/$/, '');
    this.language = language || 'zh';
  }

  async signIn() {
    const code = await loginCode();
    const answer = await call({ url: `${this.apiBase}/auth/mini-program`, method: 'POST', data: { code },
      header: { 'content-type': 'application/json' } });
    const token = { accessToken: answer.accessToken, memberId: answer.memberId,
      expiresAt: Date.now() + (answer.expiresIn - 60) * 1000 };
    wx.setStorageSync(TOKEN_KEY, token);
    return token;
  }

  /** The kept token, or one sign-in shared by every call that needs it at the same moment. */
  async token() {
    const kept = wx.getStorageSync(TOKEN_KEY);
    if (kept && kept.expiresAt > Date.now()) return kept;
    if (!this.signingIn) {
      this.signingIn = this.signIn().finally(() => { this.signingIn = null; });
    }
    return this.signingIn;
  }

  async me(method, path, data, retried) {
    const token = await this.token();
    try {
      return await call({ url: `${this.apiBase}/me${path}`, method, data,
        header: { Authorization: `Bearer ${token.accessToken}`, 'content-type': 'application/json',
          'Accept-Language': this.language === 'zh' ? 'zh-CN' : 'en' } });
    } catch (failure) {
      if (failure.status === 401 && !retried) {
        // drop the refused token, unless another call has already put a new one in its place
        const kept = wx.getStorageSync(TOKEN_KEY);
        if (kept && kept.accessToken === token.accessToken) wx.removeStorageSync(TOKEN_KEY);
        return this.me(method, path, data, true);
      }
      throw failure;
    }
  }

  points() { return this.me('GET', '/points'); }
  tier() { return this.me('GET', '/tier'); }
  history() { return this.me('GET', '/points/history?limit=10'); }
  checkIn() { return this.me('POST', '/check-ins', {}); }
  memberCode() { return this.me('GET', '/member-code'); }
}

module.exports = { Siyu, TOKEN_KEY };
