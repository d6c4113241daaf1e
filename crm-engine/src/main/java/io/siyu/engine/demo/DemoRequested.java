package io.siyu.engine.demo;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Whether demo data was asked for: {@code siyu.demo.*} bound and checked as {@link DemoProperties} on every start (a
 * mistyped or out-of-range setting stops the engine with the setting named, demo or not), then {@code members > 0}.
 */
class DemoRequested extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        DemoProperties demo = Binder.get(context.getEnvironment()).bindOrCreate("siyu.demo", DemoProperties.class);
        return demo.members() > 0 ? ConditionOutcome.match("siyu.demo.members=" + demo.members())
                : ConditionOutcome.noMatch("no demo data asked for");
    }
}
