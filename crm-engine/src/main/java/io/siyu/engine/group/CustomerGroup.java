package io.siyu.engine.group;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import java.util.HashSet;
import java.util.Set;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import io.siyu.api.wecom.RecordWeComGroupChange;
import io.siyu.api.wecom.WeComGroupChange;
import io.siyu.api.wecom.WeComGroupChanged;

/**
 * A WeCom customer group's own history: created, renamed, owner or notice changed, dismissed. Each distinct callback
 * is recorded once (another reading of a name or owner change only when it finds another name or owner); its members'
 * joins and leaves are facts on the members' streams.
 */
@Aggregate
class CustomerGroup {

    @AggregateIdentifier
    private String chatId;
    private final Set<String> factKeys = new HashSet<>();
    private String name;
    private String owner;

    CustomerGroup() {
        // for Axon
    }

    /** @return {@code true} when recorded, {@code false} for a callback seen before */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    boolean handle(RecordWeComGroupChange command) {
        if (factKeys.contains(command.factKey())) {
            return false;
        }
        // another reading for a callback already translated that finds the name or owner held records nothing
        if (command.reread() && (command.change() == WeComGroupChange.NAME_CHANGED && name != null
                && name.equals(command.name()) || command.change() == WeComGroupChange.OWNER_CHANGED && owner != null
                && owner.equals(command.ownerUserId()))) {
            return false;
        }
        apply(new WeComGroupChanged(command.chatId(), command.factKey(), command.change(), command.name(),
                command.ownerUserId(), command.occurredAt()));
        return true;
    }

    @EventSourcingHandler
    void on(WeComGroupChanged event) {
        chatId = event.chatId();
        factKeys.add(event.factKey());
        if (event.name() != null) {
            name = event.name();
        }
        if (event.ownerUserId() != null) {
            owner = event.ownerUserId();
        }
    }
}
