package org.panolm.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Standard input, output and error as the command uses them. Results written to standard output are
 * checked: a failed write (a full disk, a closed pipe) fails the run instead of being lost, which
 * {@link System#out} would hide. A standard stream that was closed when the command started is detected:
 * the JVM then gives that number to one of its own files (its module image), so reading it would read the
 * JDK and closing it would crash the JVM.
 */
public final class StandardStreams {
    private StandardStreams() {}

    private static final boolean[] CLOSED = new boolean[3];
    private static OutputStream stdout;

    /** Called once at start: streams that were closed are replaced by ones that fail (or, for errors, discard). */
    public static synchronized void init() {
        for (int fd = 0; fd < 3; fd++) {
            CLOSED[fd] = wasClosed(fd);
        }
        if (CLOSED[1]) {
            System.setOut(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8) {
                @Override
                public boolean checkError() {
                    return true; // nothing printed here reached anyone
                }
            });
        }
        if (CLOSED[2]) {
            System.setErr(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
        }
    }

    /** Standard input for reading a result's input; never closes file descriptor 0. */
    public static InputStream input(String option) {
        if (CLOSED[0]) {
            throw new CliException("standard input is closed: give " + option + " FILE, or redirect it");
        }
        return new FilterInputStream(System.in) {
            @Override
            public void close() {
                // Standard input stays open: closing it gains nothing and file descriptor 0 is not ours.
            }
        };
    }

    /** Standard output for results, unbuffered; every write failure is an {@link IOException}. */
    public static synchronized OutputStream output() {
        if (CLOSED[1]) {
            throw new CliException("standard output is closed: give --out FILE, or redirect it");
        }
        if (stdout == null) {
            stdout = new FileOutputStream(FileDescriptor.out) {
                @Override
                public void close() {
                    // Only the JVM closes file descriptor 1.
                }
            };
        }
        return stdout;
    }

    /** Writes one line of results to standard output; a failure fails the run. */
    public static void println(String line) {
        System.out.flush(); // anything printed before must come first
        try {
            output().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CliException("cannot write to standard output: " + Errors.describe(e), e);
        }
    }

    /**
     * Whether file descriptor {@code fd} was closed when the JVM started: it is now one of the JVM's own
     * files (inside the JDK, or the command's jar). Linux only; elsewhere nothing is detected.
     */
    static boolean wasClosed(int fd) {
        Path target;
        try {
            target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd));
        } catch (NoSuchFileException e) {
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
        try {
            Path javaHome = Path.of(System.getProperty("java.home")).toRealPath();
            if (target.startsWith(javaHome)) {
                return true;
            }
            var source = StandardStreams.class.getProtectionDomain().getCodeSource();
            if (source != null && source.getLocation() != null) {
                Path jar = Path.of(source.getLocation().toURI()).toRealPath();
                return target.equals(jar);
            }
        } catch (IOException | java.net.URISyntaxException | IllegalArgumentException e) {
            return false;
        }
        return false;
    }
}
