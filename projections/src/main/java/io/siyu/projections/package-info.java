/**
 * Read models, each built from events alone by one class in its own processing group, and the queries they answer.
 * Handlers are idempotent: every document remembers the last member-stream sequence number it includes, so a
 * replay or a redelivery changes nothing.
 */
package io.siyu.projections;
