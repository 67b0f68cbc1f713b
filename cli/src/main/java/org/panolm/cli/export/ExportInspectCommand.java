package org.panolm.cli.export;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.panolm.cli.CliException;
import org.panolm.cli.ExitCodes;
import org.panolm.cli.Json;
import org.panolm.cli.StandardStreams;
import org.panolm.cli.Terminal;
import org.panolm.cli.keys.KeyFileKind;
import org.panolm.cli.keys.KeyLoader;
import org.panolm.cli.keys.KeySecretOptions;
import org.panolm.cli.keys.KeySink;
import org.panolm.export.ExportedRoomKey;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code panolm export inspect}: what an export file holds, by room and sender, without any secret. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Counts the sessions of a room-key export file (or JSON array, or backup) per room and per "
                + "sender device. Prints ids and counts only, never key material.")
public final class ExportInspectCommand implements Callable<Integer> {
    @Option(names = "--in", required = true, paramLabel = "FILE", description = "The export file.")
    Path in;

    @Option(names = "--json", description = "Print the counts as JSON.")
    boolean json;

    @Mixin
    KeySecretOptions secrets;

    /** Per room or per sender: sessions and the distinct other side. */
    private static final class Count {
        long sessions;
        final Set<String> others = new HashSet<>();
    }

    @Override
    public Integer call() throws IOException {
        Map<String, Count> byRoom = new TreeMap<>();
        Map<String, Count> bySender = new TreeMap<>();
        long[] total = {0};
        KeySecretOptions unlock = secrets;
        KeyFileKind kind;
        try (unlock) {
            kind = KeyLoader.load(in, "--in", unlock, Set.of(), new KeySink() {
                @Override
                public void key(ExportedRoomKey key, String where) {
                    if (key == null) {
                        throw new CliException(where + " is not a room key object");
                    }
                    total[0]++;
                    String room = String.valueOf(key.roomId());
                    String sender = String.valueOf(key.senderKey());
                    Count r = byRoom.computeIfAbsent(room, x -> new Count());
                    r.sessions++;
                    r.others.add(sender);
                    Count s = bySender.computeIfAbsent(sender, x -> new Count());
                    s.sessions++;
                    s.others.add(room);
                }

                @Override
                public void rejected(String where, String why) {
                    System.err.println(Terminal.printable("panolm: warning: " + where + ": " + why));
                }
            });
        }
        // Room ids and sender keys come from the file: shown with anything a terminal would obey escaped.
        if (json) {
            ObjectNode root = Json.MAPPER.createObjectNode();
            root.put("kind", kind.name().toLowerCase(Locale.ROOT));
            root.put("sessions", total[0]);
            ObjectNode rooms = root.putObject("rooms");
            byRoom.forEach((room, c) -> rooms.putObject(room).put("sessions", c.sessions).put("senders", c.others.size()));
            ObjectNode senders = root.putObject("senders");
            bySender.forEach((s, c) -> senders.putObject(s).put("sessions", c.sessions).put("rooms", c.others.size()));
            StandardStreams.println(Json.MAPPER.writeValueAsString(root));
        } else {
            StringBuilder out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "%s: %,d sessions in %,d rooms from %,d sender devices%n",
                    Terminal.printable(in.toString()), total[0], byRoom.size(), bySender.size()));
            out.append(String.format(Locale.ROOT, "%n%-50s %10s %8s%n", "room", "sessions", "senders"));
            byRoom.forEach((room, c) -> out.append(String.format(Locale.ROOT, "%-50s %,10d %,8d%n",
                    Terminal.printable(room), c.sessions, c.others.size())));
            out.append(String.format(Locale.ROOT, "%n%-50s %10s %8s%n", "sender device (Curve25519 key)", "sessions", "rooms"));
            bySender.forEach((s, c) -> out.append(String.format(Locale.ROOT, "%-50s %,10d %,8d%n",
                    Terminal.printable(s), c.sessions, c.others.size())));
            StandardStreams.println(out.toString().stripTrailing());
        }
        return ExitCodes.OK;
    }
}
