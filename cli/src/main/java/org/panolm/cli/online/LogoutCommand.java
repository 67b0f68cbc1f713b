package org.panolm.cli.online;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import org.panolm.cli.CliException;
import org.panolm.cli.Errors;
import org.panolm.cli.ExitCodes;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code panolm logout}: the device is deleted on the server, and its store here. */
@Command(name = "logout", mixinStandardHelpOptions = true,
        description = "Logs the device out: the homeserver deletes it and revokes its access token; its store on "
                + "this machine is deleted too, unless --keep-store (then its room keys stay, without the login).")
public final class LogoutCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--keep-store", description = "Keep the store (its room keys) on this machine.")
    boolean keepStore;

    @Mixin
    DeviceOptions device;

    @Override
    public Integer call() {
        Path dir = device.directory(null);
        DeviceSession session = device.open(dir);
        String who;
        try (session) {
            who = session.engine().userId() + " " + session.engine().deviceId();
            session.client().logout();
            session.forgetLogin();
        }
        PrintWriter out = spec.commandLine().getOut();
        if (keepStore) {
            out.println("logged out " + who + "; the store stays in " + dir);
        } else {
            delete(dir);
            out.println("logged out " + who + "; the store " + dir + " is deleted");
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** Deletes the device's files (only the names this command creates), then the directory if it is empty. */
    private static void delete(Path dir) {
        try {
            for (String name : List.of(DeviceSession.SESSION_FILE, DeviceSession.STORE_FILE,
                    DeviceSession.STORE_FILE + "-wal", DeviceSession.STORE_FILE + "-shm",
                    DeviceSession.STORE_FILE + "-journal", DeviceSession.STORE_FILE + ".lock")) {
                Files.deleteIfExists(dir.resolve(name));
            }
            Path journal = dir.resolve("backup-journal");
            if (Files.isDirectory(journal)) {
                try (Stream<Path> files = Files.walk(journal)) {
                    for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
                }
            }
            try (Stream<Path> left = Files.list(dir)) {
                if (left.findAny().isEmpty()) Files.delete(dir);
            }
        } catch (IOException e) {
            throw new CliException("logged out, but cannot delete the store " + dir + ": " + Errors.describe(e));
        }
    }
}
