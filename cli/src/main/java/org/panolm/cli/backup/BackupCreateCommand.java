package org.panolm.cli.backup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.panolm.PanolmException;
import org.panolm.backup.BackupPublicKey;
import org.panolm.backup.RoomKeysBody;
import org.panolm.cli.CliException;
import org.panolm.cli.Errors;
import org.panolm.cli.ExitCodes;
import org.panolm.cli.io.OutputTarget;
import org.panolm.cli.keys.CollectingSink;
import org.panolm.cli.keys.KeyLoader;
import org.panolm.cli.keys.KeySecretOptions;
import org.panolm.cli.keys.RoomOptions;
import org.panolm.export.ExportedRoomKey;
import org.panolm.keystore.RoomKeyRecord;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code panolm backup create}: room keys in, a {@code /room_keys/keys} body for a backup public key out. */
@Command(name = "create", mixinStandardHelpOptions = true,
        description = "Encrypts room keys (an export file or a JSON array) for a backup public key, producing the "
                + "/room_keys/keys body to PUT to the server.")
public final class BackupCreateCommand implements Callable<Integer> {
    @Option(names = "--keys", required = true, paramLabel = "FILE", description = "Room keys (repeatable).")
    List<Path> keyFiles;

    @Option(names = "--public-key", required = true, paramLabel = "KEY",
            description = "The backup's public key (auth_data.public_key, unpadded base64).")
    String publicKey;

    @Option(names = "--out", required = true, paramLabel = "FILE|-", description = "Where to write the body.")
    String out;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0", description = "Threads (default: all processors).")
    int threads;

    @Mixin
    KeySecretOptions secrets;

    @Mixin
    RoomOptions rooms;

    @Override
    public Integer call() throws IOException {
        BackupPublicKey key;
        try {
            key = BackupPublicKey.fromBase64(publicKey);
        } catch (PanolmException e) {
            throw new CliException("--public-key: " + Errors.describe(e));
        }
        if (threads < 0 || threads > 256) {
            throw new CliException("--threads must be between 0 and 256, not " + threads);
        }
        OutputTarget.checkWritable(out, "--out");
        CollectingSink read = new CollectingSink();
        KeySecretOptions unlock = secrets;
        try (unlock) {
            KeyLoader.load(keyFiles, "--keys", unlock, rooms.rooms(), read);
        }
        List<RoomKeyRecord> records = new ArrayList<>();
        for (CollectingSink.Read r : read.keys()) {
            ExportedRoomKey k = r.key();
            try {
                records.add(RoomKeyRecord.of(k, r.provenance(), k.forwardingCurve25519KeyChain().size()));
            } catch (PanolmException e) {
                read.rejected("room " + k.roomId() + " session " + k.sessionId(), Errors.describe(e));
            }
        }
        read.report(System.err);
        long started = System.nanoTime();
        RoomKeysBody body = key.encrypt(records, threads);
        double seconds = (System.nanoTime() - started) / 1e9;
        try (OutputTarget target = OutputTarget.open(out)) {
            target.stream().write(body.toJson());
            target.stream().write('\n');
            target.commit();
        }
        System.err.println(String.format(Locale.ROOT, "panolm: backed up %,d sessions in %.2f s (%,.0f keys/s)",
                records.size(), seconds, seconds > 0 ? records.size() / seconds : 0));
        return read.rejectedCount() == 0 ? ExitCodes.OK : ExitCodes.SOME_FAILED;
    }
}
