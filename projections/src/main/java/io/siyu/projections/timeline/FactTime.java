package io.siyu.projections.timeline;

import java.lang.reflect.RecordComponent;
import java.time.Instant;

import io.siyu.api.checkin.CheckedIn;

/**
 * When a member event's fact happened, as a person reads it: a sale's {@code occurredAt} (a till batch uploaded the
 * next morning still shows last night's orders), WeCom's own time of a contact, group or tag change, the moment of a
 * check-in. Facts that carry no time of their own (registration, refunds, point movements, tiers, coupons, segments)
 * happened when they were recorded. Point movements stay at their recording so their running balances read in order.
 */
final class FactTime {

    private FactTime() {
    }

    static Instant of(Object event, Instant recordedAt) {
        if (event instanceof CheckedIn checkedIn && checkedIn.at() != null) {
            return checkedIn.at();
        }
        Class<?> type = event.getClass();
        if (type.isRecord()) {
            for (RecordComponent component : type.getRecordComponents()) {
                if (component.getName().equals("occurredAt") && component.getType() == Instant.class) {
                    try {
                        Instant occurredAt = (Instant) component.getAccessor().invoke(event);
                        return occurredAt == null ? recordedAt : occurredAt;
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException("cannot read " + component, e);
                    }
                }
            }
        }
        return recordedAt;
    }
}
