package org.panolm.cli.online;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import org.panolm.cli.ExitCodes;
import org.panolm.cli.Terminal;
import org.panolm.cli.keys.KeyLoader;
import org.panolm.cli.keys.KeySecretOptions;
import org.panolm.cli.keys.RoomOptions;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code panolm keys import}: key files into a device's store, each key with where it came from. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Adds the room keys of key files to a device's store, streamed in transactions of 1,000 keys. "
                + "Each key keeps the provenance its file gives (imported from a file, restored from a backup): never "
                + "better, so an imported copy never replaces a verified one; a better copy already held stays.",
                "Exit status: 0 every key was taken, 2 some keys were rejected (the rest are in the store)."})
public final class KeysImportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--keys", required = true, paramLabel = "FILE",
            description = "An export file (needs its passphrase), a JSON array of exported keys, or a /room_keys/keys "
                    + "backup body (needs the Security Key, or a Security Phrase). Repeatable.")
    List<Path> keyFiles;

    @Mixin
    DeviceOptions device;

    @Mixin
    KeySecretOptions secrets;

    @Mixin
    RoomOptions rooms;

    @Override
    public Integer call() {
        DeviceStoreKeys.Imported result;
        Path dir;
        try (DeviceStoreKeys store = DeviceStoreKeys.open(device); KeySecretOptions unlock = secrets) {
            dir = store.directory();
            try (DeviceStoreKeys.Importer importer = store.importer()) {
                Set<String> only = rooms.rooms();
                KeyLoader.load(keyFiles, "--keys", unlock, only, importer);
                importer.close();
                result = importer.result();
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("imported %,d keys into %s: %,d new, %,d improved a held copy, %,d unchanged%n",
                result.taken(), dir, result.added(), result.improved(), result.unchanged());
        out.flush();
        if (result.rejected() > 0) {
            PrintWriter err = spec.commandLine().getErr();
            err.printf("panolm: %,d keys rejected, for example:%n", result.rejected());
            result.rejectedExamples().forEach(e -> err.println("  " + Terminal.printable(e)));
            err.flush();
            return ExitCodes.SOME_FAILED;
        }
        return ExitCodes.OK;
    }
}
