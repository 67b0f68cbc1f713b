package org.panolm.internal.libolm;

import java.lang.foreign.MemorySegment;
import java.util.function.LongSupplier;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;
import java.util.function.UnaryOperator;

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
    /** An Olm account ({@code OlmAccount}). */
    ACCOUNT("Account", olm_h::olm_account_size, olm_h::olm_account, olm_h::olm_clear_account,
            olm_h::olm_account_last_error_code),
    /** An Olm session ({@code OlmSession}). */
    SESSION("Session", olm_h::olm_session_size, olm_h::olm_session, olm_h::olm_clear_session,
            olm_h::olm_session_last_error_code),
    /** A Megolm outbound session. */
    OUTBOUND_GROUP_SESSION("OutboundGroupSession", outbound_group_session_h::olm_outbound_group_session_size,
            outbound_group_session_h::olm_outbound_group_session,
            outbound_group_session_h::olm_clear_outbound_group_session,
            outbound_group_session_h::olm_outbound_group_session_last_error_code),
    /** A Megolm inbound session. */
    INBOUND_GROUP_SESSION("InboundGroupSession", inbound_group_session_h::olm_inbound_group_session_size,
            inbound_group_session_h::olm_inbound_group_session,
            inbound_group_session_h::olm_clear_inbound_group_session,
            inbound_group_session_h::olm_inbound_group_session_last_error_code),
    /** A PK encryption object. */
    PK_ENCRYPTION("PkEncryption", pk_h::olm_pk_encryption_size, pk_h::olm_pk_encryption,
            pk_h::olm_clear_pk_encryption, pk_h::olm_pk_encryption_last_error_code),
    /** A PK decryption object. */
    PK_DECRYPTION("PkDecryption", pk_h::olm_pk_decryption_size, pk_h::olm_pk_decryption,
            pk_h::olm_clear_pk_decryption, pk_h::olm_pk_decryption_last_error_code),
    /** A PK signing object. */
    PK_SIGNING("PkSigning", pk_h::olm_pk_signing_size, pk_h::olm_pk_signing, pk_h::olm_clear_pk_signing,
            pk_h::olm_pk_signing_last_error_code),
    /** A SAS object. */
    SAS("Sas", sas_h::olm_sas_size, sas_h::olm_sas, sas_h::olm_clear_sas, sas_h::olm_sas_last_error_code);

    private final String displayName;
    private final LongSupplier size;
    private final UnaryOperator<MemorySegment> construct;
    private final ToLongFunction<MemorySegment> clear;
    private final ToIntFunction<MemorySegment> lastErrorCode;

    LibolmType(String displayName, LongSupplier size, UnaryOperator<MemorySegment> construct,
            ToLongFunction<MemorySegment> clear, ToIntFunction<MemorySegment> lastErrorCode) {
        this.displayName = displayName;
        this.size = size;
        this.construct = construct;
        this.clear = clear;
        this.lastErrorCode = lastErrorCode;
    }

    /**
     * The public class wrapping this kind, for messages.
     *
     * @return the class name
     */
    public String displayName() {
        return displayName;
    }

    long size() {
        return size.getAsLong();
    }

    MemorySegment construct(MemorySegment memory) {
        return construct.apply(memory);
    }

    void clear(MemorySegment object) {
        clear.applyAsLong(object);
    }

    int lastErrorCode(MemorySegment object) {
        return lastErrorCode.applyAsInt(object);
    }
}
