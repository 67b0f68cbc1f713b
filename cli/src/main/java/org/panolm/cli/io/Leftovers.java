package org.panolm.cli.io;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.panolm.cli.Errors;
import org.panolm.cli.Terminal;
import org.panolm.subtle.SecureRandomBytes;

/**
 * What a run leaves on disk while it works (the temporary file of an output, the demo's folder) is named
 * after its process, so that a later run can tell what a stopped run left behind: a run stopped by a
 * signal removes its own ({@link Runtime#addShutdownHook}), and one killed outright (SIGKILL, a power cut)
 * cannot, so every run that writes into a folder first removes what dead runs of the same user left there.
 * Those leftovers are decrypted history or key material.
 */
public final class Leftovers {
    private Leftovers() {}

    /**
     * {@code HOST-PID-RANDOM}: the part of a working name that says whose it is. The host (a hash of its
     * name) keeps a run from judging the process ids of another machine that shares the folder.
     */
    public static String ownerTag() {
        return HOST + "-" + ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(SecureRandomBytes.next(8));
    }

    /** {@code .NAME.partial-HOST-PID-RANDOM}: the temporary name of an output file. */
    static final Pattern PARTIAL = Pattern.compile("\\..+\\.partial-([0-9a-f]{8})-(\\d{1,19})-[0-9a-f]{16}");
    /** {@code panolm-demo-HOST-PID-RANDOM}: the demo's working folder. */
    public static final Pattern DEMO_FOLDER = Pattern.compile("panolm-demo-([0-9a-f]{8})-(\\d{1,19})-[0-9a-f]{16}");

    private static final String HOST = hostTag();

    private static String hostTag() {
        String name;
        try {
            name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException | RuntimeException e) {
            name = String.valueOf(System.getenv("HOSTNAME"));
        }
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Removes the unfinished outputs that runs no longer alive left in {@code folder}; returns how many. */
    static int removePartials(Path folder) {
        return remove(folder, ".*.partial-*", PARTIAL, false);
    }

    /** Removes the demo folders that runs no longer alive left in {@code folder}; returns how many. */
    public static int removeDemoFolders(Path folder) {
        return remove(folder, "panolm-demo-*", DEMO_FOLDER, true);
    }

    private static int remove(Path folder, String glob, Pattern name, boolean folders) {
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, glob)) {
            for (Path p : entries) {
                Matcher m = name.matcher(p.getFileName().toString());
                if (!m.matches() || !m.group(1).equals(HOST) || !isOurs(p, folders)) {
                    continue;
                }
                long pid;
                try {
                    pid = Long.parseLong(m.group(2));
                } catch (NumberFormatException e) {
                    continue;
                }
                if (!abandoned(p, pid)) {
                    continue;
                }
                try {
                    deleteTree(p);
                    removed++;
                    System.err.println(Terminal.printable("panolm: removed " + p + ", left by a run that was stopped"));
                } catch (IOException e) {
                    System.err.println(Terminal.printable("panolm: could not remove " + p + ", left by a run that "
                            + "was stopped: " + Errors.describe(e)));
                }
            }
        } catch (IOException | SecurityException e) {
            // An unreadable folder: nothing of ours to find there.
        }
        return removed;
    }

    /** A regular file (or, for the demo, a real folder), not a link, owned by this user. */
    private static boolean isOurs(Path p, boolean folder) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (folder ? !a.isDirectory() : !a.isRegularFile()) {
                return false;
            }
            return Files.getOwner(p, LinkOption.NOFOLLOW_LINKS).getName().equals(System.getProperty("user.name"));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /**
     * Whether the run that named {@code p} is gone: no process has its id, or the one that has it started
     * after {@code p} was last written (the id was reused).
     */
    static boolean abandoned(Path p, long pid) {
        if (pid == ProcessHandle.current().pid()) {
            return false;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) {
            return true;
        }
        Optional<Instant> started = process.get().info().startInstant();
        if (started.isEmpty()) {
            return false;
        }
        try {
            FileTime written = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
            return started.get().isAfter(written.toInstant());
        } catch (IOException e) {
            return false;
        }
    }

    /** Deletes a file, or a folder and everything in it, without following links. */
    public static void deleteTree(Path p) throws IOException {
        if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            Files.deleteIfExists(p);
            return;
        }
        Files.walkFileTree(p, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
