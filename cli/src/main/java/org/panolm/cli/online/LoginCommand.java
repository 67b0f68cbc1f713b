package org.panolm.cli.online;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;

import org.panolm.cli.CliException;
import org.panolm.cli.ExitCodes;
import org.panolm.client.HomeserverClient;
import org.panolm.client.MatrixApiException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code panolm login}: a new device of the user, its keys in an encrypted store on this machine. */
@Command(name = "login", mixinStandardHelpOptions = true,
        description = {"Logs in with the account password and creates a new device whose keys live in an encrypted "
                + "store (--store DIR, default the user's directory), then publishes its keys (one sync).",
            "The password comes from --password-file, $" + LoginCommand.PASSWORD_ENV + " or a prompt; the store "
                + "passphrase from --store-passphrase-file, $" + DeviceOptions.STORE_PASSPHRASE_ENV + " or a prompt."})
public final class LoginCommand implements Callable<Integer> {
    /** The environment variable holding the account password. */
    static final String PASSWORD_ENV = "PANOLM_PASSWORD";

    @Spec
    CommandSpec spec;

    @Option(names = "--homeserver", required = true, paramLabel = "URL", description = "The homeserver's base URL.")
    URI homeserver;

    @Option(names = "--user", required = true, paramLabel = "@USER:SERVER", description = "The Matrix user id.")
    String user;

    @Option(names = "--device-name", paramLabel = "NAME", defaultValue = "panolm",
            description = "The new device's display name (default: ${DEFAULT-VALUE}).")
    String deviceName;

    @Mixin
    AccountPassword password;

    @Mixin
    DeviceOptions device;

    @Override
    public Integer call() {
        if (!user.startsWith("@") || user.indexOf(':') < 2) {
            throw new CliException("--user " + user + " is not a Matrix user id (@name:server)");
        }
        Path dir = device.directory(user);
        DeviceSession.checkFree(dir);
        char[] passphrase = device.passphrase(dir);
        try {
            HomeserverClient client = DeviceSession.client(homeserver, null);
            char[] pw = password.read(user);
            try {
                client.login(user, pw, deviceName);
            } catch (MatrixApiException e) {
                client.close();
                throw e;
            } finally {
                Arrays.fill(pw, '\0');
            }
            DeviceSession session;
            try {
                session = DeviceSession.create(dir, client, passphrase);
            } catch (RuntimeException e) {
                try {
                    client.logout(); // no store, no device: do not leave one behind on the server
                } catch (RuntimeException ignored) {
                    // the first failure is the one to report
                } finally {
                    client.close();
                }
                throw e;
            }
            try (session) {
                session.syncLoop(Duration.ZERO).syncOnce(); // the device and one-time keys go up now
                PrintWriter out = spec.commandLine().getOut();
                out.println("logged in as " + session.engine().userId() + ", device " + session.engine().deviceId());
                out.println("store: " + dir);
                out.flush();
            }
            return ExitCodes.OK;
        } finally {
            Arrays.fill(passphrase, '\0');
        }
    }
}
