package org.panolm.cli.keys;

import org.panolm.cli.CliException;
import org.panolm.export.RoomKeyExport;

import picocli.CommandLine.Option;

/**
 * {@code --rounds}: the PBKDF2 rounds that protect a new export file. Few rounds make a weak passphrase
 * quick to guess from the file, so fewer than {@link #MINIMUM} need {@code --allow-weak-rounds}.
 */
public final class ExportRounds {
    /** The low end of what clients write (matrix-nio's default; Element uses 500,000). */
    public static final int MINIMUM = 100_000;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "500000",
            description = "PBKDF2 rounds of the new export file (default: ${DEFAULT-VALUE}, as Element; at least "
                    + MINIMUM + " unless --allow-weak-rounds).")
    int rounds;

    @Option(names = "--allow-weak-rounds",
            description = "Accept fewer than " + MINIMUM + " rounds (for tests: such a file's passphrase is far "
                    + "quicker to guess).")
    boolean allowWeak;

    /** The rounds, checked; call before any work. */
    public int checked() {
        if (rounds < 1 || rounds > RoomKeyExport.MAX_ROUNDS) {
            throw new CliException("--rounds must be between " + MINIMUM + " and " + RoomKeyExport.MAX_ROUNDS
                    + ", not " + rounds);
        }
        if (rounds < MINIMUM && !allowWeak) {
            throw new CliException("--rounds " + rounds + " is below " + MINIMUM + ": the file's passphrase would be "
                    + "quick to guess (give --allow-weak-rounds to accept that)");
        }
        return rounds;
    }
}
