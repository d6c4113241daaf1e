package io.siyu.engine.access;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

import io.siyu.engine.store.StoreProperties;
import io.siyu.engine.system.SecretKeys;

/**
 * On the first start of an empty store the engine makes one operator credential (named {@code first-operator}) and
 * writes its secret once to {@code <data dir>/operator.credential}, readable only by its owner; one log line says
 * where, never the secret. Operators make every other credential with it. An in-memory store is empty at every start,
 * so it writes a new one each time. {@code siyu.access.first-operator=false} turns this off (tests make their own).
 */
@Component
class FirstOperator implements ApplicationRunner {

    static final String FILE = "operator.credential";
    static final String NAME = "first-operator";
    private static final Logger log = LoggerFactory.getLogger(FirstOperator.class);

    private final Credentials credentials;
    private final StoreProperties store;

    private final AccessProperties access;

    FirstOperator(Credentials credentials, StoreProperties store, AccessProperties access) {
        this.credentials = credentials;
        this.store = store;
        this.access = access;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!access.firstOperator()) {
            return;
        }
        if (Boolean.TRUE.equals(credentials.anyWithRole(Role.OPERATOR).block())) {
            return;
        }
        Path file = store.dataDir().resolve(FILE).toAbsolutePath().normalize();
        try {
            Credentials.Created created = credentials.create(Role.OPERATOR, NAME, "engine").block();
            if (Files.exists(file)) {
                // another store's first operator (an in-memory run in an on-disk engine's directory, a store wiped
                // by hand): its secret may still be someone's only copy, so it is kept beside the new one
                Path previous = file.resolveSibling(FILE + ".previous");
                Files.move(file, previous, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                log.warn("An operator credential of another store was in {}: moved to {}", file, previous);
            }
            SecretKeys.writeOwnerOnly(file, created.secret() + "\n");
            log.info("First start: an operator credential was written to {} (readable only by its owner); "
                    + "use it as 'Authorization: Bearer <its content>' to create other credentials", file);
        } catch (Credentials.NameTakenException anotherNode) {
            log.info("First operator credential made by another node");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
