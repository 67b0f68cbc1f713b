package org.panolm.cli.render;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * One room's events in time order (timestamp, then input position), read from its spill file by an external
 * merge sort: runs of at most {@code runEvents} events or {@code runChars} characters are sorted in memory
 * and written out, then merged with one line per run in memory. A room that fits in one run is never
 * written again.
 */
final class RoomTimeline {
    /** A spilled line: its sort key and the event's JSON. */
    record Line(long ts, long seq, String json) {
        static final Comparator<Line> ORDER = Comparator.comparingLong(Line::ts).thenComparingLong(Line::seq);

        static Line parse(String spilled) {
            int a = spilled.indexOf('\t');
            int b = spilled.indexOf('\t', a + 1);
            return new Line(Long.parseLong(spilled, 0, a, 10), Long.parseLong(spilled, a + 1, b, 10),
                    spilled.substring(b + 1));
        }

        String spilled() {
            return ts + "\t" + seq + "\t" + json;
        }
    }

    /** Receives the lines in order. */
    interface Sink {
        void line(Line line) throws IOException;
    }

    private final int runEvents;
    private final long runChars;
    private final Path tmp;

    RoomTimeline(Path tmp, int runEvents, long runChars) {
        this.tmp = tmp;
        this.runEvents = runEvents;
        this.runChars = runChars;
    }

    /** Reads every spilled line of {@code spill} in any order (for indexes that need no order). */
    static void scan(Path spill, Sink sink) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(spill, StandardCharsets.UTF_8)) {
            String s;
            while ((s = r.readLine()) != null) {
                sink.line(Line.parse(s));
            }
        }
    }

    /** Hands every line of {@code spill} to {@code sink} in time order. */
    void sorted(Path spill, Sink sink) throws IOException {
        List<Path> runs = new ArrayList<>();
        List<Line> run = new ArrayList<>();
        try {
            try (BufferedReader r = Files.newBufferedReader(spill, StandardCharsets.UTF_8)) {
                long chars = 0;
                String s;
                while ((s = r.readLine()) != null) {
                    run.add(Line.parse(s));
                    chars += s.length();
                    if (run.size() >= runEvents || chars >= runChars) {
                        runs.add(writeRun(run, runs.size()));
                        run.clear();
                        chars = 0;
                    }
                }
            }
            if (runs.isEmpty()) {
                run.sort(Line.ORDER);
                for (Line l : run) {
                    sink.line(l);
                }
                return;
            }
            if (!run.isEmpty()) {
                runs.add(writeRun(run, runs.size()));
                run.clear();
            }
            merge(runs, sink);
        } finally {
            for (Path p : runs) {
                Files.deleteIfExists(p);
            }
        }
    }

    private Path writeRun(List<Line> run, int n) throws IOException {
        run.sort(Line.ORDER);
        Path p = tmp.resolve("run-" + n + ".sorted");
        try (BufferedWriter w = Files.newBufferedWriter(p, StandardCharsets.UTF_8)) {
            for (Line l : run) {
                w.write(l.spilled());
                w.write('\n');
            }
        }
        return p;
    }

    private record Head(Line line, BufferedReader from) {}

    private static void merge(List<Path> runs, Sink sink) throws IOException {
        PriorityQueue<Head> heads = new PriorityQueue<>(runs.size(), Comparator.comparing(Head::line, Line.ORDER));
        List<BufferedReader> readers = new ArrayList<>();
        try {
            for (Path p : runs) {
                BufferedReader r = Files.newBufferedReader(p, StandardCharsets.UTF_8);
                readers.add(r);
                advance(r, heads);
            }
            Head h;
            while ((h = heads.poll()) != null) {
                sink.line(h.line());
                advance(h.from(), heads);
            }
        } finally {
            for (BufferedReader r : readers) {
                try {
                    r.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    private static void advance(BufferedReader r, PriorityQueue<Head> heads) throws IOException {
        String s = r.readLine();
        if (s != null) {
            heads.add(new Head(Line.parse(s), r));
        }
    }
}
