/**
 * The contract of Siyu: every command, event, query and result that crosses a module boundary, as immutable
 * records. Nothing here depends on Spring, MongoDB or WeCom; money is integer fen (CNY), points are integers and
 * business days are dates in the engine's business time zone (Asia/Shanghai unless configured).
 */
package io.siyu.api;
