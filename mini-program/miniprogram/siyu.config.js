// Where the widget finds Siyu's API. In WeChat DevTools with "不校验合法域名" ticked, a local engine works
// (http://127.0.0.1:8080/api/v1); a released Mini Program needs the brand's HTTPS domain, listed in its request
// domains (request 合法域名) in the Mini Program admin.
module.exports = {
  apiBase: 'http://127.0.0.1:8080/api/v1',
};
