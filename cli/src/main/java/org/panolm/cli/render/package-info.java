/**
 * {@code panolm history render}: decrypted history (JSON Lines from {@code panolm history decrypt} or the
 * Spark job) turned into one readable transcript per room, as HTML or plain text.
 *
 * <p>How memory stays bounded whatever the size of the archive: {@link org.panolm.cli.render.RoomSpill}
 * first copies every line into a spill file of its room, keeping at most a fixed number of those files
 * open; then each room in turn is put in time order by {@link org.panolm.cli.render.RoomTimeline}, an
 * external merge sort whose runs hold a bounded number of events, and written. Replies and edits are
 * resolved through {@link org.panolm.cli.render.Relations}, an index of only the events that are edited or
 * replied to, with a bounded number of entries.
 */
package org.panolm.cli.render;
