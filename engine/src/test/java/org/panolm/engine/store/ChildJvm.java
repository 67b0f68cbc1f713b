package org.panolm.engine.store;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Starts a test class's {@code main} in a separate JVM on this test's class path. */
final class ChildJvm {
    private ChildJvm() {}

    static Process start(Class<?> main, String... args) throws IOException {
        return start(List.of(), main, args);
    }

    static Process start(List<String> jvmFlags, Class<?> main, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }
}
