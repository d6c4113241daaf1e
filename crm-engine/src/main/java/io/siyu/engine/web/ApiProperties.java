package io.siyu.engine.web;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param readYourWritesTimeout how long a write waits for the read model to include it before answering anyway
 * @param maxClockSkew          how far in the future a caller's timestamp (a purchase's occurredAt) may lie
 */
@ConfigurationProperties(prefix = "siyu.api")
public record ApiProperties(@DefaultValue("5s") Duration readYourWritesTimeout,
                            @DefaultValue("5m") Duration maxClockSkew) {
}
