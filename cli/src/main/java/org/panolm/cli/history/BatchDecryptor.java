package org.panolm.cli.history;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Decrypts a batch of {@code m.room.encrypted} events. The batch is the unit of memory: the pipeline never
 * holds more than one batch of events and their results.
 */
public interface BatchDecryptor {
    /**
     * @param events  encrypted events, in input order
     * @param results receives exactly one outcome per event, in the same order
     */
    void decrypt(List<ObjectNode> events, List<Outcome> results);
}
