package org.panolm.cli.render;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * A self-contained HTML page per room. Everything that came from the history is escaped as text (element
 * content and quoted attribute values alike); nothing from it becomes a tag, an attribute name, a URL or an
 * id: links go only to anchors made from input positions. The page forbids every script, frame and remote
 * resource by its Content-Security-Policy, should anything slip through.
 */
final class HtmlTranscript implements TranscriptFormat {
    private static final String STYLE = """
            body{font-family:sans-serif;max-width:60em;margin:1em auto;color:#17191c}
            .e{padding:.3em .5em;border-left:3px solid transparent;margin:.2em 0}
            .e.red{border-left-color:#d1242f}.e.grey{border-left-color:#8d97a5}
            .meta{color:#656d76;font-size:.85em}.sender{font-weight:bold}
            .shield{font-size:.8em;padding:0 .4em;border-radius:3px;margin-left:.5em}
            .shield.red{background:#ffebe9;color:#82071e}.shield.grey{background:#eaeef2;color:#424a53}
            .body{white-space:pre-wrap;overflow-wrap:anywhere}.state .body,.other .body{color:#656d76;font-style:italic}
            blockquote{margin:.2em 0;padding:.1em .5em;border-left:3px solid #d0d7de;color:#424a53}
            .note{color:#9a6700;font-size:.85em}
            """;

    @Override
    public String extension() {
        return "html";
    }

    @Override
    public void begin(Writer w, String roomId, long events) throws IOException {
        head(w, "Room " + roomId);
        w.write("<h1>Room <code>");
        w.write(escape(roomId));
        w.write("</code></h1>\n<main>\n");
    }

    private static void head(Writer w, String title) throws IOException {
        w.write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                + "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
                + "<meta name=\"referrer\" content=\"no-referrer\">\n<title>");
        w.write(escape(title));
        w.write("</title>\n<style>\n");
        w.write(STYLE);
        w.write("</style></head><body>\n");
    }

    @Override
    public void entry(Writer w, Entry e) throws IOException {
        Shield s = e.shield();
        Shield.Level loudest = e.editShield() != null && e.editShield().level().compareTo(s.level()) > 0
                ? e.editShield().level() : s.level();
        w.write("<div class=\"e " + e.kind().name().toLowerCase(java.util.Locale.ROOT) + level(loudest)
                + "\" id=\"e" + e.anchor() + "\">\n<div class=\"meta\"><time>");
        w.write(escape(TranscriptFormat.time(e.time())));
        w.write("</time> <span class=\"sender\">");
        w.write(escape(e.sender() == null ? "(unknown sender)" : e.sender()));
        w.write("</span>");
        shield(w, s, "");
        if (e.edited()) {
            w.write(" <span class=\"edited\">(edited)</span>");
            if (e.editShield() != null) {
                shield(w, e.editShield(), "edit: ");
            }
        }
        w.write("</div>\n");
        if (e.reply() != null) {
            w.write("<blockquote>In reply to <a href=\"#e" + e.reply().anchor() + "\">");
            w.write(escape(e.reply().sender() == null ? "(unknown sender)" : e.reply().sender()));
            w.write("</a>: ");
            w.write(escape(e.reply().snippet()));
            w.write("</blockquote>\n");
        } else if (e.replyToId() != null) {
            w.write("<blockquote>In reply to an event not in this transcript: ");
            w.write(escape(e.replyToId()));
            w.write("</blockquote>\n");
        }
        w.write("<div class=\"body\">");
        if (e.kind() == Entry.Kind.EMOTE) {
            w.write("* ");
            w.write(escape(e.sender() == null ? "" : e.sender()));
            w.write(' ');
        }
        if (e.text() != null) {
            w.write(escape(e.text()));
        }
        if (e.attachment() != null) {
            w.write("<span class=\"attachment\">Attachment: ");
            w.write(escape(e.attachment().describe()));
            w.write("</span>");
        }
        w.write("</div>\n");
        if (e.kind() == Entry.Kind.UNDECRYPTABLE || e.kind() == Entry.Kind.UNREADABLE) {
            w.write("<div class=\"note\">");
            w.write(escape(s.detail()));
            w.write("</div>\n");
        }
        if (e.note() != null) {
            w.write("<div class=\"note\">");
            w.write(escape(e.note()));
            w.write("</div>\n");
        }
        w.write("<div class=\"meta\">");
        w.write(escape(e.eventId() == null ? "(no event id)" : e.eventId()));
        w.write("</div>\n</div>\n");
    }

    private static void shield(Writer w, Shield s, String prefix) throws IOException {
        if (s.level() == Shield.Level.NONE && s.label().isEmpty()) {
            return;
        }
        w.write(" <span class=\"shield" + level(s.level()) + "\" title=\"");
        w.write(escape(s.detail()));
        w.write("\">");
        w.write(escape(prefix + s.label()));
        w.write("</span>");
    }

    private static String level(Shield.Level l) {
        return switch (l) {
            case NONE -> "";
            case GREY -> " grey";
            case RED -> " red";
        };
    }

    @Override
    public void end(Writer w, String counts) throws IOException {
        w.write("</main>\n<footer class=\"meta\">");
        w.write(escape(counts));
        w.write("</footer>\n</body></html>\n");
    }

    @Override
    public void index(Writer w, List<Room> rooms) throws IOException {
        head(w, "Rooms");
        w.write("<h1>Rooms</h1>\n<ul>\n");
        for (Room r : rooms) {
            // The file name is made by panolm from a safe subset of characters; it is escaped all the same.
            w.write("<li><a href=\"" + escape(r.file()) + "\"><code>");
            w.write(escape(r.roomId()));
            w.write("</code></a> <span class=\"meta\">");
            w.write(escape(r.counts()));
            w.write("</span></li>\n");
        }
        w.write("</ul>\n</body></html>\n");
    }

    /**
     * {@code text} safe as HTML element content and as a double- or single-quoted attribute value: the five
     * markup characters become references, and characters HTML does not allow (controls other than tab and
     * line feed, unpaired surrogates, noncharacters) become U+FFFD.
     */
    static String escape(String text) {
        StringBuilder s = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            switch (cp) {
                case '&' -> s.append("&amp;");
                case '<' -> s.append("&lt;");
                case '>' -> s.append("&gt;");
                case '"' -> s.append("&quot;");
                case '\'' -> s.append("&#39;");
                default -> {
                    boolean control = cp < 0x20 && cp != '\t' && cp != '\n' || cp >= 0x7f && cp <= 0x9f;
                    boolean surrogate = cp >= 0xd800 && cp <= 0xdfff;
                    boolean nonchar = cp >= 0xfdd0 && cp <= 0xfdef || (cp & 0xfffe) == 0xfffe;
                    if (control || surrogate || nonchar) {
                        s.append('\ufffd');
                    } else {
                        s.appendCodePoint(cp);
                    }
                }
            }
        }
        return s.toString();
    }
}
