package org.panolm.trust;

/** The room shield clients draw beside the composer and in the member list. */
public enum Shield {
    /** Encrypted, every member verified, every member's session trusted. */
    GREEN,
    /** A verified member has an untrusted session, or a verified member's identity changed: possible compromise. */
    RED,
    /** Encrypted, but not every member is verified. */
    BLACK,
    /** The room is not encrypted. */
    NONE
}
