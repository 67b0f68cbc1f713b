package org.panolm.cli.recovery;

import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.panolm.backup.BackupDecryptionKey;
import org.panolm.cli.ExitCodes;
import org.panolm.cli.Json;
import org.panolm.cli.StandardStreams;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code panolm recovery-key generate}: a fresh random Security Key on standard output. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Prints a new random Security Key (32 random bytes, base58 in groups of four). With --json "
                + "also the backup public key it gives when used as a backup key.")
public final class RecoveryKeyGenerateCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print {\"recovery_key\": …, \"backup_public_key\": …}.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        try (BackupDecryptionKey key = BackupDecryptionKey.generate()) {
            if (json) {
                ObjectNode out = Json.MAPPER.createObjectNode();
                out.put("recovery_key", key.toRecoveryKey());
                out.put("backup_public_key", key.publicKey().toBase64());
                StandardStreams.println(Json.MAPPER.writeValueAsString(out));
            } else {
                StandardStreams.println(key.toRecoveryKey());
            }
        }
        return ExitCodes.OK;
    }
}
