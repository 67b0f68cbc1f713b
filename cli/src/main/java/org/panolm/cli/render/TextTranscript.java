package org.panolm.cli.render;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

import org.panolm.cli.Terminal;

/**
 * A plain text transcript per room, one block per event. Text from the history is made printable (terminal
 * controls and reordering characters written as {@code \\uXXXX}) line by line, and continuation lines are
 * indented, so no body can forge a line that looks like another event or move the cursor of a terminal
 * that shows the file.
 */
final class TextTranscript implements TranscriptFormat {
    private static final String INDENT = "    ";

    @Override
    public String extension() {
        return "txt";
    }

    @Override
    public void begin(Writer w, String roomId, long events) throws IOException {
        w.write("Room " + Terminal.printable(roomId) + "\n\n");
    }

    @Override
    public void entry(Writer w, Entry e) throws IOException {
        StringBuilder head = new StringBuilder();
        head.append('[').append(TranscriptFormat.time(e.time())).append("] ");
        head.append(e.sender() == null ? "(unknown sender)" : Terminal.printable(e.sender()));
        mark(head, e.shield(), "");
        if (e.edited()) {
            head.append(" (edited)");
            if (e.editShield() != null) {
                mark(head, e.editShield(), "edit: ");
            }
        }
        w.write(head.append('\n').toString());
        if (e.reply() != null) {
            lines(w, "> In reply to " + (e.reply().sender() == null ? "(unknown sender)" : e.reply().sender()) + ": "
                    + e.reply().snippet());
        } else if (e.replyToId() != null) {
            lines(w, "> In reply to an event not in this transcript: " + e.replyToId());
        }
        String text = e.text() == null ? "" : e.text();
        if (e.kind() == Entry.Kind.EMOTE) {
            text = "* " + (e.sender() == null ? "" : e.sender()) + " " + text;
        } else if (e.kind() == Entry.Kind.STATE || e.kind() == Entry.Kind.OTHER) {
            text = "(" + text + ")";
        }
        if (e.attachment() != null) {
            text = (text.isEmpty() ? "" : text + "\n") + "Attachment: " + e.attachment().describe();
        }
        lines(w, text);
        if (e.kind() == Entry.Kind.UNDECRYPTABLE || e.kind() == Entry.Kind.UNREADABLE) {
            lines(w, "(" + e.shield().detail() + ")");
        }
        if (e.note() != null) {
            lines(w, "(" + e.note() + ")");
        }
        lines(w, "id " + (e.eventId() == null ? "(none)" : e.eventId()));
        w.write('\n');
    }

    private static void mark(StringBuilder head, Shield s, String prefix) {
        if (!s.label().isEmpty()) {
            head.append(" [").append(prefix).append(s.label()).append(']');
        }
    }

    /** Each line of {@code text} indented and made printable. */
    private static void lines(Writer w, String text) throws IOException {
        for (String line : text.split("\n", -1)) {
            w.write(INDENT);
            w.write(Terminal.printable(line));
            w.write('\n');
        }
    }

    @Override
    public void end(Writer w, String counts) throws IOException {
        w.write("-- " + Terminal.printable(counts) + "\n");
    }

    @Override
    public void index(Writer w, List<Room> rooms) throws IOException {
        for (Room r : rooms) {
            w.write(Terminal.printable(r.roomId()) + "\t" + r.file() + "\t" + Terminal.printable(r.counts()) + "\n");
        }
    }
}
