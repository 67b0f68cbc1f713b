package org.panolm;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link PanolmException} is about, as data a program can act on without reading the message:
 * the object at fault, the event, the field inside it, the index (of a message, or of an element in a list)
 * and the reason. Every part but the reason may be null when it does not apply. No part ever holds key
 * material or the value of a secret field.
 *
 * @param subject the object at fault (for example {@code "room-key export file"}, {@code "Security Key"},
 *     {@code "room !r:x session S"}), or null
 * @param eventId the Matrix event id at fault, or null
 * @param field the field at fault, as a dotted path inside the event or object (for example
 *     {@code "content.ciphertext"}), or null
 * @param index the message index or list position at fault, or null
 * @param reason what is wrong, in words, without the field's value (never null)
 */
public record ErrorDetail(@Nullable String subject, @Nullable String eventId, @Nullable String field, @Nullable Long index, String reason) {
    /**
     * Checks the reason is present.
     *
     * @throws NullPointerException if {@code reason} is null
     */
    public ErrorDetail {
        Objects.requireNonNull(reason, "reason");
    }

    /**
     * A detail that is only a reason.
     *
     * @param reason what is wrong
     * @return the detail
     */
    public static ErrorDetail of(String reason) {
        return new ErrorDetail(null, null, null, null, reason);
    }

    /**
     * A detail naming a field and what is wrong with it.
     *
     * @param field the field at fault
     * @param reason what is wrong with it ("is missing")
     * @return the detail
     */
    public static ErrorDetail field(String field, String reason) {
        return new ErrorDetail(null, null, field, null, reason);
    }

    /**
     * The same detail about another object.
     *
     * @param subject the object at fault
     * @return a copy with that subject
     */
    public ErrorDetail withSubject(String subject) {
        return new ErrorDetail(subject, eventId, field, index, reason);
    }

    /**
     * The same detail about an event.
     *
     * @param eventId the event at fault
     * @return a copy with that event id
     */
    public ErrorDetail withEvent(String eventId) {
        return new ErrorDetail(subject, eventId, field, index, reason);
    }

    /**
     * The same detail at an index.
     *
     * @param index the message index or list position
     * @return a copy with that index
     */
    public ErrorDetail withIndex(long index) {
        return new ErrorDetail(subject, eventId, field, index, reason);
    }

    /**
     * The parts in one line for people: {@code "<subject>: event <id>: index <n>: <field> <reason>"}, with
     * the absent parts left out.
     *
     * @return the description
     */
    public String describe() {
        StringBuilder s = new StringBuilder();
        if (subject != null) s.append(subject).append(": ");
        if (eventId != null) s.append("event ").append(eventId).append(": ");
        if (index != null) s.append("index ").append(index).append(": ");
        if (field != null) s.append(field).append(' ');
        return s.append(reason).toString();
    }
}
