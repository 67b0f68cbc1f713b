package org.panolm.cli;

import java.io.Console;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a secret (a passphrase, a Security Key) without it ever being a command-line argument: from a file
 * named by an option, from an environment variable, or from a prompt on the terminal without echo. The
 * caller wipes the returned characters.
 */
public final class SecretInput {
    private SecretInput() {}

    public static final String PASSPHRASE_ENV = "PANOLM_PASSPHRASE";
    public static final String RECOVERY_KEY_ENV = "PANOLM_RECOVERY_KEY";

    /**
     * @param file    the file option's value, or null
     * @param option  the file option's name, for messages ({@code --passphrase-file})
     * @param env     the environment variable
     * @param what    what the secret is, for the prompt and messages ("passphrase of keys.txt")
     */
    public static char[] read(Path file, String option, String env, String what) {
        if (file != null) {
            return fromFile(file, option, what);
        }
        String fromEnv = System.getenv(env);
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return fromEnv.toCharArray();
        }
        Console console = System.console();
        if (console != null && console.isTerminal()) {
            char[] typed = console.readPassword("%s: ", capitalised(what));
            if (typed == null || typed.length == 0) {
                throw new CliException("no " + what + " was typed");
            }
            return typed;
        }
        throw new CliException("the " + what + " is needed: give " + option + " FILE or set " + env
                + " (there is no terminal to ask on)");
    }

    /** The file's text, without its final line break; secrets may contain spaces, so nothing else is trimmed. */
    private static char[] fromFile(Path file, String option, String what) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CliException("cannot read " + option + " " + file + ": " + describe(e));
        }
        try {
            int n = bytes.length;
            if (n > 0 && bytes[n - 1] == '\n') {
                n--;
                if (n > 0 && bytes[n - 1] == '\r') {
                    n--;
                }
            }
            if (n == 0) {
                throw new CliException(option + " " + file + " is empty: it should hold the " + what);
            }
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, n));
            char[] out = new char[chars.remaining()];
            chars.get(out);
            Arrays.fill(chars.array(), '\0');
            return out;
        } catch (CharacterCodingException e) {
            throw new CliException(option + " " + file + " is not UTF-8 text");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    static String describe(IOException e) {
        return Errors.describe(e);
    }

    private static String capitalised(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
