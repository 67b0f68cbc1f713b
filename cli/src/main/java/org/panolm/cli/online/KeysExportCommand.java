package org.panolm.cli.online;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Set;
import java.util.concurrent.Callable;

import org.panolm.cli.ExitCodes;
import org.panolm.cli.io.OutputTarget;
import org.panolm.cli.keys.ExportOutputOptions;
import org.panolm.cli.keys.RoomOptions;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code panolm keys export}: a device's room keys as an export file (or a JSON array), streamed. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Writes a device's room keys as an Element-compatible export file under a new passphrase (or, "
                + "with --out-json, a plain JSON array), each with its provenance, streamed. Sessions under the "
                + "do-not-store flag never leave the store. Works on a logged-out device kept with --keep-store.")
public final class KeysExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "FILE|-",
            description = "Where the keys go (written under a temporary name and renamed when complete).")
    String out;

    @Mixin
    DeviceOptions device;

    @Mixin
    ExportOutputOptions output;

    @Mixin
    RoomOptions rooms;

    @Override
    public Integer call() throws IOException {
        output.check();
        OutputTarget.checkWritable(out, "--out");
        Set<String> only = rooms.rooms();
        long[] written = {0};
        long flagged;
        try (DeviceStoreKeys store = DeviceStoreKeys.open(device); OutputTarget target = OutputTarget.open(out)) {
            try (ExportOutputOptions.KeyOutput keys = output.open(target.stream())) {
                flagged = store.forEachKey(r -> {
                    if (only.isEmpty() || only.contains(r.roomId())) {
                        keys.write(r.key(), r.provenance());
                        written[0]++;
                    }
                });
            }
            target.commit();
        }
        PrintWriter err = spec.commandLine().getErr();
        err.printf("panolm: exported %,d keys%s%n", written[0],
                flagged == 0 ? "" : String.format("; %,d under the do-not-store flag stayed in the store", flagged));
        err.flush();
        return ExitCodes.OK;
    }
}
