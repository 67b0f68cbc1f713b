package org.panolm.cli.recovery;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;

import org.panolm.cli.CliException;
import org.panolm.cli.ExitCodes;
import org.panolm.cli.StandardStreams;
import org.panolm.cli.keys.KeyLoader;
import org.panolm.recovery.RecoveryKey;
import org.panolm.recovery.RecoveryKeyException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code panolm recovery-key check}: is this a well-formed Security Key? */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Checks that a Security Key is well formed (alphabet, length, prefix, parity). Reads it from "
                + "--in FILE or standard input; whitespace is ignored.",
            "Exit status: 0 valid, 1 not (with the precise reason)."})
public final class RecoveryKeyCheckCommand implements Callable<Integer> {
    @Option(names = "--in", paramLabel = "FILE|-", defaultValue = "-", description = "Where the key is (default: standard input).")
    String in;

    @Override
    public Integer call() {
        byte[] raw;
        try {
            raw = "-".equals(in) ? StandardStreams.input("--in").readAllBytes() : Files.readAllBytes(Path.of(in));
        } catch (IOException e) {
            throw new CliException("cannot read --in " + in + ": " + KeyLoader.describe(e));
        }
        String text = new String(raw, StandardCharsets.UTF_8);
        Arrays.fill(raw, (byte) 0);
        if (text.isBlank()) {
            throw new CliException("no Security Key in " + ("-".equals(in) ? "standard input" : in));
        }
        try {
            byte[] key = RecoveryKey.decode(text);
            Arrays.fill(key, (byte) 0);
        } catch (RecoveryKeyException e) {
            throw new CliException("not a valid Security Key: it " + e.reason().text() + " [" + e.reason() + "]");
        }
        System.err.println("panolm: valid Security Key");
        return ExitCodes.OK;
    }
}
