/**
 * WeCom (企业微信) facts about a member: contacts with staff, customer groups and tags. The wecom-bridge translates
 * WeCom callbacks into these commands; each carries {@code factKey}, the callback's dedupe key, so a callback
 * delivered again records nothing twice. {@code occurredAt} is WeCom's {@code CreateTime}.
 */
package io.siyu.api.wecom;
