package org.panolm.cli.render;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One event as a transcript shows it, the same for every format: who, when, what, and its mark. Built by
 * {@link #of}, which resolves replies and edits; text here is raw (each format escapes it for itself).
 *
 * @param anchor     the event's position in the input: its anchor, which replies link to
 * @param time       when it was sent, or null
 * @param sender     who sent it, or null
 * @param kind       what sort of line it is
 * @param text       the body or description
 * @param attachment the file it carries, or null
 * @param reply      the event it answers, quoted, or null
 * @param replyToId  the id of the event it answers when that is not quoted (not in the room, or over the
 *                   limit), else null
 * @param edited     whether the text is from a later edit
 * @param editShield the edit's own mark when edited, else null
 * @param shield     the mark of the event itself
 * @param eventId    the event id, or null
 * @param note       a remark such as an edit that was ignored, or null
 */
record Entry(long anchor, Instant time, String sender, Kind kind, String text, Attachment attachment,
             Relations.Quote reply, String replyToId, boolean edited, Shield editShield, Shield shield,
             String eventId, String note) {
    /** What sort of line an entry is. */
    enum Kind { MESSAGE, EMOTE, NOTICE, STATE, OTHER, UNDECRYPTABLE, UNREADABLE }

    /** @return the entry of {@code e}, or null when it is an edit shown through the event it edits */
    static Entry of(TranscriptEvent e, Relations relations) {
        Shield shield = e.shield();
        String sender = e.sender();
        String type = e.type();
        if (type == null) {
            return new Entry(e.seq(), e.time(), sender, Kind.UNREADABLE, "Unreadable item", null, null, null,
                    false, null, shield, e.eventId(), null);
        }
        if (!e.readable()) {
            return new Entry(e.seq(), e.time(), sender, Kind.UNDECRYPTABLE, "Unable to decrypt message", null, null,
                    null, false, null, shield, e.eventId(), null);
        }
        String note = null;
        if (e.replaces() != null) {
            if (relations.appliesTo(e)) {
                return null; // shown as the new text of the event it edits
            }
            note = "an edit of " + e.replaces() + " that was not applied (that event is not in this room, was sent by "
                    + "someone else, or is past the relation limit)";
        }
        JsonNode content = e.content();
        Relations.Edit edit = relations.edit(e.eventId());
        if (edit != null) {
            content = edit.newContent();
        }
        String replyTo = e.replyTo();
        Relations.Quote quote = relations.quote(replyTo);
        Kind kind = Kind.OTHER;
        String text;
        Attachment attachment = null;
        if (e.isState()) {
            kind = Kind.STATE;
            text = describeState(type, TranscriptEvent.text(e.event().path("state_key")), content);
        } else {
            switch (type) {
                case "m.room.message", "m.sticker" -> {
                    String msgtype = TranscriptEvent.text(content.path("msgtype"));
                    kind = "m.emote".equals(msgtype) ? Kind.EMOTE : "m.notice".equals(msgtype) ? Kind.NOTICE : Kind.MESSAGE;
                    attachment = Attachment.of(type, content);
                    text = attachment != null ? null : TranscriptEvent.body(content, replyTo != null);
                    if (text == null && attachment == null) {
                        text = "(a message without a body)";
                    }
                }
                case "m.reaction" -> text = "reacted " + quoteOrNothing(content.path("m.relates_to").path("key"))
                        + " to " + orMissing(TranscriptEvent.text(content.path("m.relates_to").path("event_id")));
                case "m.room.redaction" -> text = "deleted a message ("
                        + orMissing(TranscriptEvent.text(e.event().path("redacts")) != null
                                ? TranscriptEvent.text(e.event().path("redacts"))
                                : TranscriptEvent.text(content.path("redacts"))) + ")";
                default -> text = "sent a " + type + " event";
            }
        }
        return new Entry(e.seq(), e.time(), sender, kind, text, attachment, quote,
                quote == null ? replyTo : null, edit != null, edit == null ? null : edit.shield(), shield,
                e.eventId(), note);
    }

    private static String describeState(String type, String stateKey, JsonNode content) {
        return switch (type) {
            case "m.room.create" -> "created the room";
            case "m.room.name" -> "changed the room name to " + quoteOrNothing(content.path("name"));
            case "m.room.topic" -> "changed the topic to " + quoteOrNothing(content.path("topic"));
            case "m.room.encryption" -> "turned on end-to-end encryption ("
                    + orMissing(TranscriptEvent.text(content.path("algorithm"))) + ")";
            case "m.room.member" -> {
                String who = orMissing(stateKey);
                String name = TranscriptEvent.text(content.path("displayname"));
                String as = name == null ? "" : " as \"" + name + "\"";
                yield switch (String.valueOf(TranscriptEvent.text(content.path("membership")))) {
                    case "join" -> who + " joined" + as;
                    case "invite" -> "invited " + who + as;
                    case "leave" -> who + " left";
                    case "ban" -> "banned " + who;
                    case "knock" -> who + " asked to join";
                    default -> "changed the membership of " + who;
                };
            }
            default -> "changed " + type + (stateKey == null || stateKey.isEmpty() ? "" : " (" + stateKey + ")");
        };
    }

    private static String quoteOrNothing(JsonNode n) {
        String s = TranscriptEvent.text(n);
        return s == null ? "(nothing)" : "\"" + s + "\"";
    }

    private static String orMissing(String s) {
        return s == null ? "(missing)" : s;
    }
}
