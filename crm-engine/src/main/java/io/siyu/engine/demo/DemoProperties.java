package io.siyu.engine.demo;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Demo data ({@code siyu.demo.*}): off unless {@code members} is set.
 *
 * @param members     how many members register over the demo year (0: no demo)
 * @param seed        the random seed: the same seed gives the same activity
 * @param days        how many business days the demo walks, ending today
 * @param concurrency members whose commands are in flight at once
 */
@ConfigurationProperties(prefix = "siyu.demo")
public record DemoProperties(@DefaultValue("0") int members,
                             @DefaultValue("42") long seed,
                             @DefaultValue("365") int days,
                             @DefaultValue("8") int concurrency) {

    public DemoProperties {
        if (members < 0 || members > 1_000_000) {
            throw new IllegalArgumentException("siyu.demo.members must be between 0 and 1,000,000");
        }
        if (days < 7 || days > 3 * 366) {
            throw new IllegalArgumentException("siyu.demo.days must be between 7 and 1,098");
        }
        if (concurrency < 1 || concurrency > 256) {
            throw new IllegalArgumentException("siyu.demo.concurrency must be between 1 and 256");
        }
    }
}
