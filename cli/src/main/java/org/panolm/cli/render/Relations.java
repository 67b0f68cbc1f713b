package org.panolm.cli.render;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import org.panolm.cli.Json;

/**
 * What replies and edits in one room point at, found by three reads of the room's spill file: the ids that
 * are replied to or edited, then those events (sender and a short quote), then the newest edit of each by
 * its own sender (an edit by anyone else is ignored, as the spec requires). Only those events are held, at
 * most {@code maxEntries} of them: past that, further replies and edits stay unresolved (a reply then names
 * the event it answers without quoting it; an edit is shown as its own line) and {@link #overflow()} counts
 * them.
 */
final class Relations {
    /** The event a reply quotes. @param anchor its position (its anchor in the transcript) */
    record Quote(long anchor, String sender, String snippet) {}

    /** The newest applicable edit of an event. */
    record Edit(long seq, long ts, JsonNode newContent, Shield shield) {}

    static final int SNIPPET = 200;

    private final int maxEntries;
    private final Set<String> wanted = new HashSet<>();
    private final Map<String, Quote> targets = new HashMap<>();
    private final Map<String, Edit> edits = new HashMap<>();
    private long overflow;

    private Relations(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    static Relations of(Path spill, int maxEntries) throws IOException {
        Relations r = new Relations(maxEntries);
        RoomTimeline.scan(spill, line -> r.want(parse(line)));
        if (r.wanted.isEmpty()) {
            return r;
        }
        RoomTimeline.scan(spill, line -> r.target(parse(line)));
        RoomTimeline.scan(spill, line -> r.edit(line, parse(line)));
        return r;
    }

    static TranscriptEvent parse(RoomTimeline.Line line) {
        try {
            return new TranscriptEvent(line.seq(), Json.MAPPER.readTree(line.json()));
        } catch (IOException e) {
            throw new IllegalStateException("a spilled line is not JSON any more", e); // written by us, checked before
        }
    }

    private void want(TranscriptEvent e) {
        for (String id : new String[] {e.replyTo(), e.replaces()}) {
            if (id != null && !wanted.contains(id)) {
                if (wanted.size() < maxEntries) {
                    wanted.add(id);
                } else {
                    overflow++;
                }
            }
        }
    }

    private void target(TranscriptEvent e) {
        String id = e.eventId();
        if (id != null && wanted.contains(id) && !targets.containsKey(id)) {
            targets.put(id, new Quote(e.seq(), e.sender(), snippet(e)));
        }
    }

    private void edit(RoomTimeline.Line line, TranscriptEvent e) {
        String target = e.replaces();
        if (target == null || !appliesTo(e)) {
            return;
        }
        Edit seen = edits.get(target);
        if (seen == null || RoomTimeline.Line.ORDER.compare(new RoomTimeline.Line(seen.ts(), seen.seq(), ""), line) < 0) {
            edits.put(target, new Edit(e.seq(), line.ts(), e.content().path("m.new_content"), e.shield()));
        }
    }

    /** Whether {@code e} is an edit that applies: its target is in the room and has the same sender. */
    boolean appliesTo(TranscriptEvent e) {
        String target = e.replaces();
        Quote t = target == null ? null : targets.get(target);
        return t != null && t.sender() != null && t.sender().equals(e.sender());
    }

    Quote quote(String eventId) {
        return eventId == null ? null : targets.get(eventId);
    }

    Edit edit(String eventId) {
        return eventId == null ? null : edits.get(eventId);
    }

    long overflow() {
        return overflow;
    }

    private static String snippet(TranscriptEvent e) {
        if (!e.readable()) {
            return "Unable to decrypt message";
        }
        Attachment a = Attachment.of(e.type(), e.content());
        String s = a != null ? a.describe() : TranscriptEvent.body(e.content(), e.replyTo() != null);
        if (s == null) {
            s = e.type() == null ? "" : e.type();
        }
        return s.length() <= SNIPPET ? s : s.substring(0, SNIPPET) + "…";
    }
}
