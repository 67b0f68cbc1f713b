package org.panolm.cli.render;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The first pass of rendering: every input line appended to a spill file of its room, with the sort key
 * (timestamp, input position) in front. At most {@code maxOpen} spill files are open at once (the least
 * recently written is closed and later reopened to append), so any number of rooms is fine. The room ids
 * themselves and a count per room are all that stays in memory.
 */
final class RoomSpill implements AutoCloseable {
    /** One room's spill file and how many events it holds. */
    record Room(String roomId, Path file, long events) {}

    private final Path dir;
    private final int maxOpen;
    private final Map<String, Integer> index = new TreeMap<>();
    private final List<long[]> counts = new ArrayList<>();
    private final LinkedHashMap<Integer, Writer> open;

    RoomSpill(Path dir, int maxOpen) {
        if (maxOpen < 1) {
            throw new IllegalArgumentException("maxOpen must be at least 1");
        }
        this.dir = dir;
        this.maxOpen = maxOpen;
        this.open = new LinkedHashMap<>(16, 0.75f, true);
    }

    /**
     * @param roomId the room, "" for a line without one
     * @param ts     the sort timestamp
     * @param seq    the position in the input (ties in time keep input order)
     * @param json   the line, which has no line break (it is one JSON value from a JSON Lines file)
     */
    void add(String roomId, long ts, long seq, String json) throws IOException {
        Integer i = index.get(roomId);
        if (i == null) {
            i = counts.size();
            index.put(roomId, i);
            counts.add(new long[1]);
        }
        Writer w = writer(i);
        w.write(Long.toString(ts));
        w.write('\t');
        w.write(Long.toString(seq));
        w.write('\t');
        w.write(json);
        w.write('\n');
        counts.get(i)[0]++;
    }

    private Writer writer(int room) throws IOException {
        Writer w = open.get(room);
        if (w != null) {
            return w;
        }
        if (open.size() >= maxOpen) {
            Iterator<Map.Entry<Integer, Writer>> eldest = open.entrySet().iterator();
            eldest.next().getValue().close();
            eldest.remove();
        }
        w = new BufferedWriter(new java.io.OutputStreamWriter(Files.newOutputStream(file(room),
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE), StandardCharsets.UTF_8),
                1 << 14);
        open.put(room, w);
        return w;
    }

    private Path file(int room) {
        return dir.resolve("room-" + room + ".spill");
    }

    /** Closes every spill file; call before reading them back. @return the rooms in room id order */
    List<Room> finish() throws IOException {
        closeAll();
        List<Room> rooms = new ArrayList<>();
        index.forEach((id, i) -> rooms.add(new Room(id, file(i), counts.get(i)[0])));
        return rooms;
    }

    /** How many spill files are open now (never more than the bound). */
    int openFiles() {
        return open.size();
    }

    private void closeAll() throws IOException {
        IOException first = null;
        for (Writer w : open.values()) {
            try {
                w.close();
            } catch (IOException e) {
                if (first == null) first = e;
            }
        }
        open.clear();
        if (first != null) throw first;
    }

    @Override
    public void close() throws IOException {
        closeAll();
    }
}
