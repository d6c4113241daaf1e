const config = require('../../siyu.config.js');

Page({
  data: { apiBase: config.apiBase },
});
