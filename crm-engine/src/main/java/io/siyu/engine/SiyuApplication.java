package io.siyu.engine;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.mongo.MongoAutoConfiguration;
import org.springframework.boot.autoconfigure.mongo.MongoReactiveAutoConfiguration;

/**
 * The Siyu engine. Boot's own MongoDB clients are switched off: Siyu builds its clients from {@code siyu.mongodb.*}
 * (or for the embedded store), and Boot's would try {@code localhost:27017}.
 */
@SpringBootApplication(scanBasePackages = "io.siyu",
        exclude = {MongoAutoConfiguration.class, MongoReactiveAutoConfiguration.class})
public class SiyuApplication {

    public static void main(String[] args) {
        SpringApplication.run(SiyuApplication.class, args);
    }
}
