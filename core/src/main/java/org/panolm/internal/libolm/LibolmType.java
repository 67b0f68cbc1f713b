package org.panolm.internal.libolm;

import java.lang.foreign.MemorySegment;

import org.panolm.bindings.inbound_group_session_h;
import org.panolm.bindings.olm_h;
import org.panolm.bindings.outbound_group_session_h;
import org.panolm.bindings.pk_h;
import org.panolm.bindings.sas_h;

/**
 * The kinds of libolm object panolm wraps, each with its four lifecycle functions: size, placement
 * constructor, clear (destructor that wipes the memory) and last error code.
 */
public enum LibolmType {
    ACCOUNT("Account") {
        long size() { return olm_h.olm_account_size(); }
        MemorySegment construct(MemorySegment m) { return olm_h.olm_account(m); }
        void clear(MemorySegment p) { olm_h.olm_clear_account(p); }
        int lastErrorCode(MemorySegment p) { return olm_h.olm_account_last_error_code(p); }
    },
    SESSION("Session") {
        long size() { return olm_h.olm_session_size(); }
        MemorySegment construct(MemorySegment m) { return olm_h.olm_session(m); }
        void clear(MemorySegment p) { olm_h.olm_clear_session(p); }
        int lastErrorCode(MemorySegment p) { return olm_h.olm_session_last_error_code(p); }
    },
    OUTBOUND_GROUP_SESSION("OutboundGroupSession") {
        long size() { return outbound_group_session_h.olm_outbound_group_session_size(); }
        MemorySegment construct(MemorySegment m) { return outbound_group_session_h.olm_outbound_group_session(m); }
        void clear(MemorySegment p) { outbound_group_session_h.olm_clear_outbound_group_session(p); }
        int lastErrorCode(MemorySegment p) {
            return outbound_group_session_h.olm_outbound_group_session_last_error_code(p);
        }
    },
    INBOUND_GROUP_SESSION("InboundGroupSession") {
        long size() { return inbound_group_session_h.olm_inbound_group_session_size(); }
        MemorySegment construct(MemorySegment m) { return inbound_group_session_h.olm_inbound_group_session(m); }
        void clear(MemorySegment p) { inbound_group_session_h.olm_clear_inbound_group_session(p); }
        int lastErrorCode(MemorySegment p) {
            return inbound_group_session_h.olm_inbound_group_session_last_error_code(p);
        }
    },
    PK_ENCRYPTION("PkEncryption") {
        long size() { return pk_h.olm_pk_encryption_size(); }
        MemorySegment construct(MemorySegment m) { return pk_h.olm_pk_encryption(m); }
        void clear(MemorySegment p) { pk_h.olm_clear_pk_encryption(p); }
        int lastErrorCode(MemorySegment p) { return pk_h.olm_pk_encryption_last_error_code(p); }
    },
    PK_DECRYPTION("PkDecryption") {
        long size() { return pk_h.olm_pk_decryption_size(); }
        MemorySegment construct(MemorySegment m) { return pk_h.olm_pk_decryption(m); }
        void clear(MemorySegment p) { pk_h.olm_clear_pk_decryption(p); }
        int lastErrorCode(MemorySegment p) { return pk_h.olm_pk_decryption_last_error_code(p); }
    },
    PK_SIGNING("PkSigning") {
        long size() { return pk_h.olm_pk_signing_size(); }
        MemorySegment construct(MemorySegment m) { return pk_h.olm_pk_signing(m); }
        void clear(MemorySegment p) { pk_h.olm_clear_pk_signing(p); }
        int lastErrorCode(MemorySegment p) { return pk_h.olm_pk_signing_last_error_code(p); }
    },
    SAS("Sas") {
        long size() { return sas_h.olm_sas_size(); }
        MemorySegment construct(MemorySegment m) { return sas_h.olm_sas(m); }
        void clear(MemorySegment p) { sas_h.olm_clear_sas(p); }
        int lastErrorCode(MemorySegment p) { return sas_h.olm_sas_last_error_code(p); }
    };

    private final String displayName;

    LibolmType(String displayName) {
        this.displayName = displayName;
    }

    /** The public class wrapping this kind, for messages. */
    public String displayName() {
        return displayName;
    }

    abstract long size();

    abstract MemorySegment construct(MemorySegment memory);

    abstract void clear(MemorySegment object);

    abstract int lastErrorCode(MemorySegment object);
}
