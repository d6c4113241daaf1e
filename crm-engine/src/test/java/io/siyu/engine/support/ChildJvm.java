package io.siyu.engine.support;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a main class of the test classpath in a JVM of its own, so that a test can kill it with SIGKILL. */
public final class ChildJvm {

    private ChildJvm() {
    }

    /**
     * The classpath {@code mainClass} was loaded from: the JVM's own under Surefire; under {@code exec:java} (the bench
     * runners) the project's classes sit in a class loader of their own, whose entries are taken.
     */
    static String classPath(Class<?> mainClass) {
        if (mainClass.getClassLoader() instanceof java.net.URLClassLoader project) {
            List<String> entries = new ArrayList<>();
            for (java.net.URL entry : project.getURLs()) {
                try {
                    entries.add(Path.of(entry.toURI()).toString());
                } catch (java.net.URISyntaxException | IllegalArgumentException notAFile) {
                    // not a file on this machine: not for a child JVM's classpath
                }
            }
            return String.join(java.io.File.pathSeparator, entries);
        }
        return System.getProperty("java.class.path");
    }

    public static Process start(Class<?> mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath(mainClass), mainClass.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }
}
