package org.panolm.verification.sas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.panolm.internal.SafeJson;

/**
 * One of the 64 SAS emoji of the spec ({@code data-definitions/sas-emoji.json}) with its English name.
 * Clients show the emoji and the name (translated if they can); both sides must show the same seven.
 *
 * @param number the emoji's number, 0 to 63
 * @param emoji the emoji
 * @param description its English name
 */
public record SasEmoji(int number, String emoji, String description) {

    /** The table, indexed by number; read from {@code sas-emoji.json} beside this class. */
    public static final List<SasEmoji> TABLE = load();

    /**
     * The emoji of a number.
     *
     * @param number 0 to 63
     * @return the emoji
     */
    public static SasEmoji of(int number) {
        if (number < 0 || number >= TABLE.size()) {
            throw new IllegalArgumentException("SAS emoji numbers are 0..63, not " + number);
        }
        return TABLE.get(number);
    }

    private static List<SasEmoji> load() {
        try (InputStream in = SasEmoji.class.getResourceAsStream("sas-emoji.json")) {
            if (in == null) {
                throw new IllegalStateException("sas-emoji.json is missing from the panolm jar");
            }
            JsonNode rows = SafeJson.mapper().readTree(in);
            List<SasEmoji> table = new ArrayList<>(64);
            for (JsonNode row : rows) {
                var e = new SasEmoji(row.get("number").intValue(), row.get("emoji").textValue(),
                        row.get("description").textValue());
                if (e.number() != table.size()) {
                    throw new IllegalStateException("sas-emoji.json is out of order at " + e.number());
                }
                table.add(e);
            }
            if (table.size() != 64) {
                throw new IllegalStateException("sas-emoji.json has " + table.size() + " entries, not 64");
            }
            return List.copyOf(table);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
