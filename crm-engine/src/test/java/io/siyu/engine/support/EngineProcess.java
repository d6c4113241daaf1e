package io.siyu.engine.support;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import io.siyu.engine.SiyuApplication;

/**
 * The whole engine as a process of its own, for tests that kill it ({@link ChildJvm}): the arguments are Spring
 * properties; prints {@code READY <http port>} once it serves.
 */
public final class EngineProcess {

    private EngineProcess() {
    }

    public static void main(String[] args) {
        ConfigurableApplicationContext engine = SpringApplication.run(SiyuApplication.class, args);
        System.out.println("READY " + engine.getEnvironment().getProperty("local.server.port"));
        System.out.flush();
    }
}
