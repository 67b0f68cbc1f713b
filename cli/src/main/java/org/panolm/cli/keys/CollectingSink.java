package org.panolm.cli.keys;

import java.util.ArrayList;
import java.util.List;

import org.panolm.cli.Terminal;
import org.panolm.export.ExportedRoomKey;

/** Keeps the keys read and counts (and remembers a few) rejected entries. */
public final class CollectingSink implements KeySink {
    private final List<ExportedRoomKey> keys = new ArrayList<>();
    private final List<String> rejected = new ArrayList<>();
    private long rejectedCount;

    @Override
    public void key(ExportedRoomKey key, String where) {
        if (key == null) {
            rejected(where, "not a room key object");
        } else {
            keys.add(key);
        }
    }

    @Override
    public void rejected(String where, String why) {
        rejectedCount++;
        if (rejected.size() < 5) {
            rejected.add(where + ": " + why);
        }
    }

    public List<ExportedRoomKey> keys() {
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
