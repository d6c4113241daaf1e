package io.siyu.engine;

import org.axonframework.springboot.autoconfig.XStreamAutoConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.mongo.MongoAutoConfiguration;
import org.springframework.boot.autoconfigure.mongo.MongoReactiveAutoConfiguration;

/**
 * The Siyu engine. Boot's own MongoDB clients are switched off: Siyu builds its clients from {@code siyu.mongodb.*}
 * (or for the embedded store), and Boot's would try {@code localhost:27017}. Axon's XStream set-up is off too: every
 * Axon serializer here is Jackson.
 */
@SpringBootApplication(scanBasePackages = "io.siyu",
        exclude = {MongoAutoConfiguration.class, MongoReactiveAutoConfiguration.class, XStreamAutoConfiguration.class})
public class SiyuApplication {

    static {
        // Siyu holds personal data: Axon's update checker must not report usage to a third party unless asked to.
        // Set when the class loads, so that engines started by tests and bench runners opt out as main does.
        System.setProperty("axoniq.update-checker.disabled",
                System.getProperty("axoniq.update-checker.disabled", "true"));
        System.setProperty("disable-axoniq-console-message", "true");
    }

    public static void main(String[] args) {
        SpringApplication.run(SiyuApplication.class, args);
    }
}
