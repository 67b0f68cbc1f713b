package org.panolm.cli.online;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.panolm.cli.ExitCodes;
import org.panolm.cli.Terminal;
import org.panolm.client.backup.BackupQueue;
import org.panolm.client.backup.UploadOutcome;
import org.panolm.client.sync.RequestFailure;
import org.panolm.client.sync.SyncLoop;
import org.panolm.client.sync.SyncRound;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code panolm sync}: the device's /sync loop, once or until interrupted. */
@Command(name = "sync", mixinStandardHelpOptions = true,
        description = {"Syncs the device: sends its keys and to-device messages, takes in room keys and device-list "
                + "changes, and (after panolm backup setup or restore) backs new room keys up as they arrive.",
            "Without --once it runs until interrupted (Ctrl-C), resuming next time where it stopped.",
            "Exit status: 0 done, 2 some requests were refused by the homeserver (listed on standard error; they are "
                + "sent again next time), 1 fatal."})
public final class SyncCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--once", description = "One round, answered at once, then exit.")
    boolean once;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "How long each sync may wait on the server for news (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Mixin
    DeviceOptions device;

    @Override
    public Integer call() {
        if (timeoutSeconds < 0 || timeoutSeconds > 300) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--timeout must be 0 to 300 seconds");
        }
        Path dir = device.directory(null);
        DeviceSession session = device.open(dir);
        // A stop (Ctrl-C, SIGTERM) waits for this: the store is closed before the JVM ends.
        CountDownLatch closed = new CountDownLatch(1);
        try {
            return syncWith(session, closed);
        } finally {
            closed.countDown();
        }
    }

    private int syncWith(DeviceSession session, CountDownLatch closed) {
        try (session) {
            PrintWriter err = spec.commandLine().getErr();
            SyncLoop loop = session.syncLoop(Duration.ofSeconds(timeoutSeconds));
            Optional<BackupQueue> backup = OnlineBackup.queue(session, err);
            backup.ifPresent(loop::onRoomKeys);
            int[] refused = {0};
            long[] keys = {0};
            loop.onRound(round -> {
                refused[0] += report(round, backup, err);
                keys[0] += round.newRoomKeys().size();
            });
            if (once) {
                SyncRound round = loop.syncOnce();
                PrintWriter out = spec.commandLine().getOut();
                out.println("synced " + session.engine().userId() + " " + session.engine().deviceId() + ": "
                        + round.toDevice().size() + " to-device events, " + round.newRoomKeys().size()
                        + " new room keys, " + round.requestsSent() + " requests sent");
                out.flush();
            } else {
                Thread hook = new Thread(() -> {
                    loop.stop();
                    try {
                        closed.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "panolm-sync-stop");
                Runtime.getRuntime().addShutdownHook(hook);
                err.println("panolm: syncing " + session.engine().userId() + " " + session.engine().deviceId()
                        + "; Ctrl-C stops");
                err.flush();
                loop.run();
                err.println("panolm: stopped; " + keys[0] + " room keys received");
                err.flush();
            }
            return refused[0] == 0 ? ExitCodes.OK : ExitCodes.SOME_FAILED;
        }
    }

    /** One line per round that did something; refused requests each on a line. Returns how many were refused. */
    private static int report(SyncRound round, Optional<BackupQueue> backup, PrintWriter err) {
        for (RequestFailure f : round.requestFailures()) {
            err.println("panolm: the homeserver refused a " + f.type() + " request (" + f.status()
                    + (f.errcode() == null ? "" : " " + Terminal.printable(f.errcode())) + "); it is sent again next time");
        }
        if (!round.newRoomKeys().isEmpty()) {
            String b = backup.map(q -> q.lastOutcome().map(SyncCommand::describe)
                    .orElse("backup upload failed, keys kept pending")).orElse("no key backup");
            err.println("panolm: " + round.newRoomKeys().size() + " new room keys (" + b + ")");
        }
        err.flush();
        return round.requestFailures().size();
    }

    static String describe(UploadOutcome o) {
        return switch (o.state()) {
            case UP_TO_DATE -> "backed up to version " + o.version();
            case NEW_VERSION_UNTRUSTED -> "not backed up: backup version " + o.version() + " is not trusted";
            case VERSION_GONE -> "not backed up: the backup version is gone";
            case VERSION_CHANGED -> "not backed up: the backup version changed";
        };
    }
}
