/**
 * The WeCom bridge: encrypted callbacks in, contact/group/tag API calls out (WxJava), and a simulator speaking the
 * real protocol for tests. It talks to the engine only through core-api commands and events. Empty until the
 * bridge's issue is taken up; the module builds so that its place and boundaries exist from the start.
 */
package io.siyu.wecom;
