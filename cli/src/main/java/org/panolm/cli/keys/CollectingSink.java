package org.panolm.cli.keys;

import java.util.ArrayList;
import java.util.List;

import org.panolm.cli.Terminal;
import org.panolm.export.ExportedRoomKey;
import org.panolm.megolm.KeyProvenance;

/** Keeps the keys read, with their provenance, and counts (and remembers a few) rejected entries. */
public final class CollectingSink implements KeySink {
    /** One key as read. */
    public record Read(ExportedRoomKey key, KeyProvenance provenance) {}

    private final List<Read> keys = new ArrayList<>();
    private final List<String> rejected = new ArrayList<>();
    private long rejectedCount;

    @Override
    public void key(ExportedRoomKey key, KeyProvenance provenance, String where) {
        if (key == null) {
            rejected(where, "not a room key object");
        } else {
            keys.add(new Read(key, provenance));
        }
    }

    @Override
    public void rejected(String where, String why) {
        rejectedCount++;
        if (rejected.size() < 5) {
            rejected.add(where + ": " + why);
        }
    }

    public List<Read> keys() {
        return keys;
    }

    public long rejectedCount() {
        return rejectedCount;
    }

    public void report(java.io.PrintStream err) {
        if (rejectedCount == 0) {
            return;
        }
        err.println("panolm: warning: " + rejectedCount + " entr" + (rejectedCount == 1 ? "y" : "ies")
                + " could not be restored:");
        rejected.forEach(r -> err.println("panolm:   " + Terminal.printable(r)));
        if (rejectedCount > rejected.size()) {
            err.println("panolm:   …");
        }
    }
}
