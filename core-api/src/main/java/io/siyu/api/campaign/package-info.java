/**
 * Campaigns: a saved segment, a message and a schedule that move members into the brand's WeCom community through
 * enterprise mass messaging (企业群发). The campaign's own stream holds its definition, stop and each run's figures;
 * what happened to each recipient (queued with a staff member, held back by WeCom's receive limit, and how the
 * staff member's task settled) is recorded on the recipient member's stream, so a member's timeline shows it and
 * the campaign's results are computed from events. Times are instants; days in results are business days
 * (Asia/Shanghai unless configured).
 */
package io.siyu.api.campaign;
