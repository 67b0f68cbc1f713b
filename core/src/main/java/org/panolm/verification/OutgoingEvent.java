package org.panolm.verification;

/**
 * A verification event to send: its type ({@code m.key.verification.*}), its content, and its recipient.
 * The content is JSON text, sent exactly as given (a SAS commitment covers the start content as sent).
 *
 * @param type the event type
 * @param content the event content, as JSON text
 * @param recipient where the event goes
 */
public record OutgoingEvent(String type, String content, Recipient recipient) {}
