package org.panolm.cli.render;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A file a message carries ({@code m.image}, {@code m.file}, {@code m.video}, {@code m.audio}, stickers),
 * listed by name, type, size and its {@code mxc://} address. The address is shown as text, never made a
 * link: it came from the sender.
 *
 * @param kind      the msgtype or event type
 * @param name      the file name ({@code filename}, else {@code body}), or null
 * @param mimetype  {@code info.mimetype}, or null
 * @param size      {@code info.size}, or -1
 * @param url       {@code url}, or {@code file.url} for an encrypted attachment, or null
 * @param encrypted whether the file itself is encrypted ({@code file} instead of {@code url})
 */
record Attachment(String kind, String name, String mimetype, long size, String url, boolean encrypted) {
    /** @return the attachment of a message content, or null when it carries none */
    static Attachment of(String type, JsonNode content) {
        String msgtype = TranscriptEvent.text(content.path("msgtype"));
        String kind = "m.sticker".equals(type) ? type : msgtype;
        if (kind == null || !(kind.equals("m.image") || kind.equals("m.file") || kind.equals("m.video")
                || kind.equals("m.audio") || kind.equals("m.sticker"))) {
            return null;
        }
        String name = TranscriptEvent.text(content.path("filename"));
        if (name == null) {
            name = TranscriptEvent.text(content.path("body"));
        }
        JsonNode info = content.path("info");
        JsonNode size = info.path("size");
        boolean encrypted = content.path("file").isObject();
        String url = encrypted ? TranscriptEvent.text(content.path("file").path("url")) : TranscriptEvent.text(content.path("url"));
        return new Attachment(kind.substring(2), name, TranscriptEvent.text(info.path("mimetype")),
                size.canConvertToLong() && size.isIntegralNumber() ? size.longValue() : -1, url, encrypted);
    }

    /** e.g. {@code image "cat.png" (image/png, 12.3 KiB) mxc://example.org/abc, encrypted} */
    String describe() {
        StringBuilder s = new StringBuilder(kind);
        if (name != null) s.append(" \"").append(name).append('"');
        if (mimetype != null || size >= 0) {
            s.append(" (");
            if (mimetype != null) s.append(mimetype);
            if (mimetype != null && size >= 0) s.append(", ");
            if (size >= 0) s.append(humanSize(size));
            s.append(')');
        }
        s.append(' ').append(url == null ? "(no address)" : url);
        if (encrypted) s.append(", encrypted");
        return s.toString();
    }

    static String humanSize(long bytes) {
        if (bytes < 1024) return bytes + " B";
        double v = bytes;
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        int u = -1;
        do {
            v /= 1024;
            u++;
        } while (v >= 1024 && u < units.length - 1);
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
