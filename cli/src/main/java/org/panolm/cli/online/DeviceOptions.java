package org.panolm.cli.online;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.panolm.cli.CliException;
import org.panolm.cli.SecretInput;

import picocli.CommandLine.Option;

/**
 * Which device store a command works on, and where its passphrase comes from (never the command line). The
 * default store of a user is {@code $XDG_DATA_HOME/panolm/USER} (else {@code ~/.local/share/panolm/USER}).
 */
public final class DeviceOptions {
    /** The environment variable holding the store passphrase. */
    public static final String STORE_PASSPHRASE_ENV = "PANOLM_STORE_PASSPHRASE";

    @Option(names = "--store", paramLabel = "DIR",
            description = "The device's directory (default: the user's directory under $XDG_DATA_HOME/panolm, "
                    + "or the only one there).")
    Path store;

    @Option(names = "--store-passphrase-file", paramLabel = "FILE",
            description = "File holding the store passphrase (else $" + STORE_PASSPHRASE_ENV + ", else a prompt).")
    Path storePassphraseFile;

    /**
     * Whether {@code --store} was given (commands for which a store is optional use one only then).
     *
     * @return true when a store was named
     */
    public boolean named() {
        return store != null;
    }

    /**
     * The store directory for {@code userId} (given at login), or the one named or found.
     *
     * @param userId the user, or null when the command does not name one
     * @return the directory
     */
    public Path directory(String userId) {
        if (store != null) return store;
        Path base = dataHome().resolve("panolm");
        if (userId != null) return base.resolve(directoryName(userId));
        List<Path> found;
        try (Stream<Path> dirs = Files.isDirectory(base) ? Files.list(base) : Stream.empty()) {
            found = dirs.filter(d -> Files.isRegularFile(d.resolve(DeviceSession.SESSION_FILE))).toList();
        } catch (IOException e) {
            throw new CliException("cannot list " + base + ": " + org.panolm.cli.Errors.describe(e));
        }
        if (found.size() == 1) return found.getFirst();
        throw new CliException(found.isEmpty() ? "no device here: run panolm login first (or give --store DIR)"
                : "there are " + found.size() + " devices in " + base + ": give --store DIR");
    }

    /**
     * The store passphrase, read once; the caller wipes it.
     *
     * @param dir the store, for the prompt
     * @return the passphrase
     */
    public char[] passphrase(Path dir) {
        return SecretInput.read(storePassphraseFile, "--store-passphrase-file", STORE_PASSPHRASE_ENV,
                "passphrase of the store " + dir);
    }

    /**
     * Opens the device kept in {@code dir}: its store unlocked with the store passphrase, which is wiped at once.
     *
     * @throws CliException when the device cannot be opened (no device there, a wrong passphrase)
     */
    public DeviceSession open(Path dir) {
        char[] passphrase = passphrase(dir);
        try {
            return DeviceSession.open(dir, passphrase);
        } finally {
            java.util.Arrays.fill(passphrase, '\0');
        }
    }

    /** A user id as a directory name: characters outside a safe set become {@code _}. */
    static String directoryName(String userId) {
        return userId.replaceAll("[^A-Za-z0-9@:._=-]", "_");
    }

    private static Path dataHome() {
        String xdg = System.getenv("XDG_DATA_HOME");
        if (xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute()) return Path.of(xdg);
        return Path.of(System.getProperty("user.home"), ".local", "share");
    }
}
