package org.panolm.cli.render;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The mark a transcript puts beside an event for its decryption, as Element marks its timeline: nothing for
 * a message whose key came from its verified sender; a warning for a key that is authentic but from a device
 * nobody verified; a grey mark when the key's authenticity cannot be known (a key from a backup, a file or
 * a forward); a warning for an unencrypted message; an error for one that could not be decrypted. Read only
 * from the {@code decryption} object panolm wrote ({@code status}, {@code trust}, {@code authenticated},
 * {@code key_provenance}, {@code key_copies}).
 *
 * @param level  how loud the mark is
 * @param label  the short text shown
 * @param detail one sentence saying why (the failure reason for a failed event)
 */
record Shield(Level level, String label, String detail) {
    /** Loudness of a mark, quietest first. */
    enum Level {
        /** Nothing to warn about. */
        NONE,
        /** Grey: authenticity cannot be guaranteed, or a state event that is never encrypted. */
        GREY,
        /** Red: unverified device, not encrypted, or not decrypted. */
        RED
    }

    static Shield of(JsonNode decryption, boolean stateEvent) {
        if (decryption == null || !decryption.isObject()) {
            return new Shield(Level.RED, "no decryption status",
                    "this line has no decryption object: it was not written by panolm history decrypt");
        }
        String status = decryption.path("status").asText("");
        switch (status) {
            case "ok" -> {
                String conflict = decryption.path("key_copies").asInt(1) > 1
                        ? " Several different copies of this message's key are held." : "";
                String source = decryption.path("key_provenance").path("source").asText("unknown");
                return switch (decryption.path("trust").asText("")) {
                    case "sender_verified" -> new Shield(conflict.isEmpty() ? Level.NONE : Level.GREY,
                            conflict.isEmpty() ? "" : "conflicting keys",
                            "Encrypted; the key came from the sender's verified device." + conflict);
                    case "sender_authenticated" -> new Shield(Level.RED, "unverified device",
                            "Encrypted by a device its owner has not verified." + conflict);
                    case "unauthenticated" -> new Shield(Level.GREY, "authenticity not guaranteed",
                            "The key came from " + sourceName(source) + ", not from the sender: the authenticity of "
                                    + "this message cannot be guaranteed." + conflict);
                    default -> new Shield(Level.GREY, "authenticity not guaranteed",
                            "The decryption does not say where its key came from." + conflict);
                };
            }
            case org.panolm.cli.history.Outcome.WithheldDoNotStore.STATUS -> {
                return new Shield(Level.GREY, "not kept",
                        "The sender asked that this message not be kept: its text is not in the archive.");
            }
            case "not_encrypted" -> {
                return stateEvent
                        ? new Shield(Level.NONE, "", "State events are not encrypted.")
                        : new Shield(Level.RED, "not encrypted", "This message was sent without encryption.");
            }
            default -> {
                String reason = decryption.path("reason").asText("");
                return new Shield(Level.RED, "unable to decrypt",
                        (status.isEmpty() ? "no status" : status) + (reason.isEmpty() ? "" : ": " + reason));
            }
        }
    }

    private static String sourceName(String source) {
        return switch (source) {
            case "backup" -> "a key backup";
            case "file" -> "an imported key file";
            case "forwarded" -> "another device (forwarded)";
            case "olm" -> "an unmatched device";
            default -> "an unknown source";
        };
    }

    boolean failed() {
        return level == Level.RED && "unable to decrypt".equals(label);
    }
}
