package io.siyu.engine.system;

import java.time.ZoneId;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param businessZone the time zone whose calendar days are business days (check-ins, daily limits)
 */
@ConfigurationProperties(prefix = "siyu")
public record SystemProperties(@DefaultValue("Asia/Shanghai") ZoneId businessZone) {
}
