package org.panolm.cli.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the packaged command ({@code java -jar panolm.jar}) as a separate process, exactly as the launcher
 * does, and captures what it prints.
 */
final class Cli {
    private Cli() {}

    record Result(int exit, String stdout, String stderr) {
        Result expectExit(int code) {
            if (exit != code) {
                fail("expected exit " + code + " but was " + exit + "\nstderr:\n" + stderr + "\nstdout (start):\n"
                        + stdout.substring(0, Math.min(stdout.length(), 2000)));
            }
            return this;
        }

        /** The last line on standard error: the error message or the summary. */
        String lastErrLine() {
            String[] lines = stderr.strip().split("\n");
            return lines[lines.length - 1];
        }
    }

    static Path jar() {
        String jar = System.getProperty("panolm.cli.jar");
        assertTrue(jar != null && Files.isRegularFile(Path.of(jar)),
                "the packaged panolm.jar is needed (run through mvn verify): " + jar);
        return Path.of(jar);
    }

    static List<String> command(String... args) {
        return command(List.of(), args);
    }

    static List<String> command(List<String> jvmOptions, String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        // C1 only and the serial collector: these runs are short, and the test machine's cores are shared.
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dpanolm.stderr.tty=false"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", jar().toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Writes a process's standard input as it goes, so that input larger than memory can be fed. */
    interface Feeder {
        void feed(java.io.OutputStream stdin) throws IOException;
    }

    static Result run(byte[] stdin, Map<String, String> env, String... args) {
        return run(List.of(), out -> {
            if (stdin != null) {
                out.write(stdin);
            }
        }, env, args);
    }

    static Result run(List<String> jvmOptions, Feeder stdin, Map<String, String> env, String... args) {
        ProcessBuilder pb = new ProcessBuilder(command(jvmOptions, args));
        pb.environment().remove("PANOLM_PASSPHRASE");
        pb.environment().remove("PANOLM_RECOVERY_KEY");
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread pump = Thread.ofVirtual().start(() -> {
                try {
                    p.getErrorStream().transferTo(err);
                } catch (IOException ignored) {
                    // the process ended
                }
            });
            Thread feeder = Thread.ofVirtual().start(() -> {
                try (var in = new java.io.BufferedOutputStream(p.getOutputStream(), 1 << 16)) {
                    stdin.feed(in);
                } catch (IOException ignored) {
                    // the command stopped reading (a fatal error): what it says is checked by the test
                }
            });
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("panolm " + String.join(" ", args) + " timed out");
            }
            pump.join();
            feeder.join();
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            return fail("cannot start the command: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted");
        }
    }

    static Result run(String... args) {
        return run(null, Map.of(), args);
    }
}
