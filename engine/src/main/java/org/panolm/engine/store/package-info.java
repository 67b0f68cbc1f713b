/**
 * Where the engine keeps its state: the {@link org.panolm.engine.store.CryptoStore} interface, its records, and
 * the default encrypted SQLite store ({@link org.panolm.engine.store.SqliteCryptoStore}).
 */
@NullMarked
package org.panolm.engine.store;

import org.jspecify.annotations.NullMarked;
