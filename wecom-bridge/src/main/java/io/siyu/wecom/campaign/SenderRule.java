package io.siyu.wecom.campaign;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.siyu.api.campaign.CampaignAudiencePage.Contact;

/**
 * Which staff member sends a campaign to a member who is the contact of several (WeCom would otherwise deliver one
 * task's message through only the last who chatted with them, and each staff member's task separately): the member's
 * first staff contact — the earliest relationship, the one that brought them in — or the latest. Ties go to the
 * smaller user id, so the choice is the same every time it is made.
 */
final class SenderRule {

    private final boolean first;

    SenderRule(String rule) {
        this.first = "first-contact".equals(rule);
    }

    Optional<Contact> choose(List<Contact> contacts) {
        Comparator<Contact> byAdded = Comparator.comparing(contact -> contact.addedAt() == null ? Instant.MAX
                : contact.addedAt());
        if (!first) {
            byAdded = Comparator.comparing((Contact contact) -> contact.addedAt() == null ? Instant.MIN
                    : contact.addedAt()).reversed();
        }
        return contacts.stream().filter(contact -> contact.staffUserId() != null && contact.externalUserId() != null)
                .min(byAdded.thenComparing(Contact::staffUserId));
    }
}
