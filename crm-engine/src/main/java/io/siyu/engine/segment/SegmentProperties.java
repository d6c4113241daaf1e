package io.siyu.engine.segment;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param refreshInterval how often saved segments are evaluated and entries/exits recorded (the most a membership
 *                        change, by an event or by time passing, is recorded late)
 * @param maxInFlight     membership commands sent at once
 */
@ConfigurationProperties(prefix = "siyu.segments")
public record SegmentProperties(@DefaultValue("10s") Duration refreshInterval,
                                @DefaultValue("16") int maxInFlight) {
}
