package org.panolm.benchmarks.report;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** What the run script recorded about the machine and the run (a properties file, all values text). */
record RunInfo(Properties values) {
    static RunInfo load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return new RunInfo(p);
    }

    String get(String key) {
        return values.getProperty(key, "unknown").trim();
    }

    boolean quick() {
        return Boolean.parseBoolean(values.getProperty("quick", "false"));
    }
}
