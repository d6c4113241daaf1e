package io.siyu.engine.store;

import java.nio.file.Path;

/** The embedded store alone in its own JVM, so that a test can kill it with SIGKILL mid-write. */
public final class EmbeddedStoreProcess {

    private EmbeddedStoreProcess() {
    }

    public static void main(String[] args) throws InterruptedException {
        EmbeddedMongo mongo = EmbeddedMongo.onDisk(Path.of(args[0]), "127.0.0.1", 0, Boolean.parseBoolean(args[1]));
        System.out.println("READY " + mongo.connectionString());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
