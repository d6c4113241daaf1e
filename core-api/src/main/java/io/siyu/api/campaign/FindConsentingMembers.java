package io.siyu.api.campaign;

import java.util.List;

/**
 * Which of {@code memberIds} consent to {@code purpose} now: asked again just before a message leaves, so a
 * withdrawal after planning is honoured. Answered with a {@code List<String>} of the consenting ids.
 */
public record FindConsentingMembers(List<String> memberIds, String purpose) {
}
