package org.panolm.cli.render;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** How a transcript is written: a file per room and an index of the rooms. Every format escapes for itself. */
interface TranscriptFormat {
    DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    /** The end of file names: {@code html} or {@code txt}. */
    String extension();

    void begin(Writer w, String roomId, long events) throws IOException;

    void entry(Writer w, Entry e) throws IOException;

    /** @param counts what the room held, e.g. {@code 40 events: 35 decrypted, 2 unable to decrypt} */
    void end(Writer w, String counts) throws IOException;

    /** A room in the index: its id, its file name and its counts line. */
    record Room(String roomId, String file, String counts) {}

    void index(Writer w, List<Room> rooms) throws IOException;

    static String time(Instant t) {
        return t == null ? "(no time)" : TIME.format(t);
    }

    static TranscriptFormat named(String name) {
        return switch (name) {
            case "html" -> new HtmlTranscript();
            case "text" -> new TextTranscript();
            default -> throw new org.panolm.cli.CliException("--format must be html or text, not "
                    + org.panolm.cli.Terminal.printable(name));
        };
    }
}
