// Chinese and English: the browser's language first, switchable (kept in local storage).

const KEY = 'siyu.language';

const WORDS = {
  en: {
    'app.title': 'Siyu console', 'app.signOut': 'Sign out', 'app.language': '中文',
    'signIn.title': 'Sign in', 'signIn.credential': 'Staff credential (siyu_…)', 'signIn.submit': 'Sign in',
    'signIn.hint': 'An operator makes credentials: POST /api/v1/admin/credentials. The credential is exchanged for a one-hour token and not kept.',
    'nav.overview': 'Overview', 'nav.funnel': 'Funnel', 'nav.segments': 'Segments', 'nav.rules': 'Rules & rewards',
    'nav.operator': 'Operator',
    'forbidden': 'This page is for {roles}; you are signed in as {role}.',
    'loading': 'Loading…', 'error': 'Could not load: {message}',
    'overview.members': 'Members', 'overview.mau': 'Monthly active members', 'overview.mauHint': 'check-in, purchase or redemption in {days} days',
    'overview.liability': 'Points liability', 'overview.liabilityHint': '{points} points at ¥{rate} a point',
    'overview.weekly': 'Points per week', 'overview.tiers': 'Members per tier',
    'overview.earned': 'Earned', 'overview.redeemed': 'Redeemed', 'overview.reversed': 'Reversed (refunds)', 'overview.expired': 'Expired',
    'funnel.from': 'From', 'funnel.to': 'To', 'funnel.cohortBy': 'Cohorts by', 'funnel.week': 'week', 'funnel.month': 'month',
    'funnel.channel': 'Channel', 'funnel.store': 'Store', 'funnel.contactState': 'Contact way', 'funnel.joinState': 'Join way',
    'funnel.asOf': 'As of', 'funnel.show': 'Show', 'funnel.cohort': 'Cohort', 'funnel.all': 'All cohorts',
    'funnel.stage': 'Stage', 'funnel.stageMembers': 'Members', 'funnel.conversion': 'Conversion', 'funnel.median': 'Median time',
    'funnel.open': 'Open', 'funnel.membersOf': 'Members at "{stage}" — {count}', 'funnel.next': 'Next page',
    'funnel.any': 'any', 'funnel.masked': 'No personal data: member ids and figures only.',
    'stage.registered': 'Registered', 'stage.first_purchase': 'First purchase', 'stage.repeat_purchase': 'Repeat purchase',
    'stage.wecom_contact': 'WeCom contact', 'stage.wecom_group': 'In a WeCom group', 'stage.repeat_after_group': 'Bought again in group',
    'member.id': 'Member', 'member.registered': 'Registered', 'member.channel': 'Channel', 'member.store': 'Store',
    'member.tier': 'Tier', 'member.points': 'Points', 'member.streak': 'Streak', 'member.reachedAt': 'Reached',
    'segments.saved': 'Saved segments', 'segments.builder': 'Segment builder', 'segments.all': 'All of (AND)',
    'segments.any': 'Any of (OR)', 'segments.not': 'NOT', 'segments.addCriterion': '+ criterion', 'segments.addGroup': '+ group',
    'segments.remove': 'Remove', 'segments.preview': '{count} of {members} members', 'segments.previewEmpty': 'Add a criterion to see the count',
    'segments.id': 'Segment id', 'segments.name': 'Name', 'segments.save': 'Save segment', 'segments.saved.ok': 'Saved: {id}',
    'segments.count': 'Count', 'segments.recorded': 'Recorded', 'segments.tag': 'WeCom tag id', 'segments.bind': 'Bind tag',
    'segments.unbind': 'Unbind', 'segments.growth': 'Growth', 'segments.bound': 'Bound to {tag}',
    'rules.versions': 'Earning rule versions', 'rules.version': 'Version', 'rules.effectiveFrom': 'Effective from',
    'rules.pointsPerYuan': 'Points per yuan', 'rules.checkIn': 'Check-in points', 'rules.details': 'Multipliers, campaigns, cap',
    'rules.configured': 'configuration', 'rules.publish': 'Publish a version (operators)', 'rules.publishButton': 'Publish',
    'rules.published': 'Published version {version}',
    'rewards.title': 'Reward catalogue', 'rewards.id': 'Reward', 'rewards.name': 'Name', 'rewards.cost': 'Points',
    'rewards.stock': 'Stock', 'rewards.limit': 'Per member', 'rewards.valid': 'Valid (days)', 'rewards.define': 'Add a reward',
    'rewards.defineButton': 'Add', 'rewards.restock': 'Restock', 'rewards.defined': 'Reward {id} saved',
    'operator.projections': 'Projections', 'operator.rebuild': 'Rebuild', 'operator.deadLetters': 'Dead letters',
    'operator.demo': 'Demo data', 'operator.name': 'Name', 'operator.lastRebuild': 'Last rebuild',
  },
  zh: {
    'app.title': '私域控制台', 'app.signOut': '退出', 'app.language': 'English',
    'signIn.title': '登录', 'signIn.credential': '员工凭证（siyu_…）', 'signIn.submit': '登录',
    'signIn.hint': '凭证由运维创建：POST /api/v1/admin/credentials。凭证只用于换取一小时的令牌，不会保存。',
    'nav.overview': '概览', 'nav.funnel': '漏斗', 'nav.segments': '人群', 'nav.rules': '规则与奖励', 'nav.operator': '运维',
    'forbidden': '此页面仅限 {roles}；您当前的角色是 {role}。',
    'loading': '加载中…', 'error': '加载失败：{message}',
    'overview.members': '会员数', 'overview.mau': '月活跃会员', 'overview.mauHint': '{days} 天内签到、购买或兑换',
    'overview.liability': '积分负债', 'overview.liabilityHint': '{points} 积分，每积分 ¥{rate}',
    'overview.weekly': '每周积分', 'overview.tiers': '各等级会员',
    'overview.earned': '发放', 'overview.redeemed': '兑换', 'overview.reversed': '退款冲回', 'overview.expired': '过期',
    'funnel.from': '起始', 'funnel.to': '截止', 'funnel.cohortBy': '同期群', 'funnel.week': '按周', 'funnel.month': '按月',
    'funnel.channel': '渠道', 'funnel.store': '门店', 'funnel.contactState': '渠道活码', 'funnel.joinState': '加群方式',
    'funnel.asOf': '截至', 'funnel.show': '查询', 'funnel.cohort': '同期群', 'funnel.all': '全部',
    'funnel.stage': '阶段', 'funnel.stageMembers': '人数', 'funnel.conversion': '转化率', 'funnel.median': '中位用时',
    'funnel.open': '查看', 'funnel.membersOf': '“{stage}”阶段会员 — {count}', 'funnel.next': '下一页',
    'funnel.any': '全部', 'funnel.masked': '不含个人信息：仅会员编号与数据。',
    'stage.registered': '注册', 'stage.first_purchase': '首购', 'stage.repeat_purchase': '复购',
    'stage.wecom_contact': '添加企微', 'stage.wecom_group': '进入社群', 'stage.repeat_after_group': '入群后复购',
    'member.id': '会员', 'member.registered': '注册日', 'member.channel': '渠道', 'member.store': '门店',
    'member.tier': '等级', 'member.points': '积分', 'member.streak': '连续签到', 'member.reachedAt': '到达时间',
    'segments.saved': '已保存人群', 'segments.builder': '人群圈选', 'segments.all': '全部满足（且）',
    'segments.any': '满足任一（或）', 'segments.not': '非', 'segments.addCriterion': '+ 条件', 'segments.addGroup': '+ 条件组',
    'segments.remove': '删除', 'segments.preview': '{count} / {members} 位会员', 'segments.previewEmpty': '添加条件后显示人数',
    'segments.id': '人群编号', 'segments.name': '名称', 'segments.save': '保存人群', 'segments.saved.ok': '已保存：{id}',
    'segments.count': '人数', 'segments.recorded': '已记录', 'segments.tag': '企微标签 ID', 'segments.bind': '绑定标签',
    'segments.unbind': '解绑', 'segments.growth': '人数变化', 'segments.bound': '已绑定 {tag}',
    'rules.versions': '积分规则版本', 'rules.version': '版本', 'rules.effectiveFrom': '生效时间',
    'rules.pointsPerYuan': '每元积分', 'rules.checkIn': '签到积分', 'rules.details': '倍率、活动、上限',
    'rules.configured': '配置默认', 'rules.publish': '发布新版本（运维）', 'rules.publishButton': '发布',
    'rules.published': '已发布版本 {version}',
    'rewards.title': '奖励目录', 'rewards.id': '奖励', 'rewards.name': '名称', 'rewards.cost': '所需积分',
    'rewards.stock': '库存', 'rewards.limit': '每人限领', 'rewards.valid': '有效期（天）', 'rewards.define': '新增奖励',
    'rewards.defineButton': '新增', 'rewards.restock': '补货', 'rewards.defined': '奖励 {id} 已保存',
    'operator.projections': '读模型', 'operator.rebuild': '重建', 'operator.deadLetters': '死信',
    'operator.demo': '演示数据', 'operator.name': '名称', 'operator.lastRebuild': '上次重建',
  },
};

export function lang() {
  const chosen = localStorage.getItem(KEY);
  if (chosen === 'zh' || chosen === 'en') return chosen;
  return (navigator.language || 'en').toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

export function setLang(language) {
  localStorage.setItem(KEY, language);
  document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
}

/** Adds a face's own words. */
export function addWords(words) {
  Object.entries(words).forEach(([language, entries]) => Object.assign(WORDS[language], entries));
}

export function t(key, vars = {}) {
  const text = WORDS[lang()][key] ?? WORDS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (vars[name] ?? `{${name}}`));
}
