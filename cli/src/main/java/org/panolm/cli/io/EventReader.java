package org.panolm.cli.io;

import java.io.Closeable;

/** Yields the input's items one at a time, so memory never depends on the size of the input. */
public interface EventReader extends Closeable {
    /**
     * @return the next item, or null at the end of the input
     * @throws org.panolm.cli.CliException when the input cannot be read on (a syntax error inside a JSON
     *         array or a /messages response, an I/O error)
     */
    InputEvent next();
}
