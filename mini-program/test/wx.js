// wx for the component under test: wx.login asks the WeChat simulator for the code a phone would get for this
// test's openid; wx.request goes to the running engine over HTTP; storage is the test's own.
const http = require('http');

function httpCall(url, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode, headers: response.headers,
        text: Buffer.concat(chunks).toString('utf8') }));
    });
    request.on('error', reject);
    if (body !== undefined) request.write(body);
    request.end();
  });
}

function install({ wechat, openid }) {
  const storage = new Map();
  const calls = [];
  global.wx = {
    login({ success, fail }) {
      httpCall(`${wechat}/demo/login-code?openid=${encodeURIComponent(openid)}`).then(
        (answer) => (answer.status === 200 ? success({ code: answer.text, errMsg: 'login:ok' })
          : fail({ errMsg: `login:fail ${answer.text}` })),
        (error) => fail({ errMsg: `login:fail ${error.message}` }));
    },
    request({ url, method = 'GET', data, header = {}, success, fail }) {
      calls.push(`${method} ${new URL(url).pathname}`);
      const body = method === 'GET' || data === undefined ? undefined : JSON.stringify(data);
      httpCall(url, { method, headers: header, body }).then((answer) => {
        let parsed = answer.text;
        try {
          parsed = JSON.parse(answer.text);
        } catch (notJson) {
          // a text answer stays text
        }
        success({ statusCode: answer.status, data: parsed, header: answer.headers, errMsg: 'request:ok' });
      }, (error) => fail({ errMsg: `request:fail ${error.message}` }));
    },
    getStorageSync: (key) => (storage.has(key) ? storage.get(key) : ''),
    setStorageSync: (key, value) => storage.set(key, value),
    removeStorageSync: (key) => storage.delete(key),
    showToast: jest.fn(),
  };
  return { calls, storage };
}

module.exports = { install, httpCall };
