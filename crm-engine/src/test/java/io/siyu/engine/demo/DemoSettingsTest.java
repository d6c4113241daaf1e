package io.siyu.engine.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Demo settings are checked on every start, demo or not: a wrong one stops the engine naming it. */
class DemoSettingsTest {

    private final ApplicationContextRunner engine = new ApplicationContextRunner()
            .withUserConfiguration(DemoConfiguration.class);

    @Test
    void noDemoIsAskedForByDefaultOrWithZeroMembers() {
        engine.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(DemoData.class));
        engine.withPropertyValues("siyu.demo.members=0")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(DemoData.class));
    }

    @Test
    void aMistypedOrOutOfRangeSettingStopsTheStartNamingIt() {
        for (String wrong : new String[]{"siyu.demo.members=-5", "siyu.demo.members=abc", "siyu.demo.days=3",
                "siyu.demo.concurrency=0", "siyu.demo.members=2000000"}) {
            engine.withPropertyValues(wrong).run(context -> {
                assertThat(context).as(wrong).hasFailed();
                assertThat(context.getStartupFailure()).as(wrong).hasStackTraceContaining("siyu.demo");
            });
        }
    }
}
