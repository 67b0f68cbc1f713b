package org.panolm.internal.libolm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

import org.panolm.olm.OlmError;
import org.panolm.olm.OlmException;

/**
 * One libolm object placed in native memory owned by a Java wrapper ({@code Account}, {@code Session},
 * ...). The memory lives in an {@link Arena} of its own; {@link #close()} runs libolm's clear function
 * (which wipes the object), wipes the scratch memory and frees the arena. Closing is idempotent. A
 * {@link Cleaner} does the same for a wrapper that was never closed; it is only a safety net.
 *
 * <p>Thread-safety: the wrapper serialises all calls (its public methods are synchronized) and calls
 * {@link java.lang.ref.Reference#reachabilityFence} on itself after each native call, so the cleaner can never run
 * during one. {@link #pointer()} after close throws {@link IllegalStateException}; because the pointer
 * is a segment of the arena, even a stale copy fails in the FFM layer rather than reaching freed memory.
 */
public final class LibolmObject {
    private static final Cleaner CLEANER = Cleaner.create();
    /** libolm's {@code olm_error()}: {@code (size_t) -1}. */
    public static final long OLM_ERROR = -1L;

    private final LibolmType type;
    private final MemorySegment object;
    private final Scratch scratch;
    private final Cleaner.Cleanable cleanable;
    private volatile boolean closed;

    private LibolmObject(Object owner, LibolmType type) {
        this.type = type;
        Arena arena = Arena.ofShared();
        try {
            this.object = arena.allocate(type.size(), 16);
            type.construct(object);
            this.scratch = new Scratch(arena);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
        this.cleanable = CLEANER.register(owner, new Release(type, object, scratch, arena));
    }

    /**
     * Allocates and constructs a libolm object of {@code type} for {@code owner}.
     *
     * @param owner the wrapper that owns the object (its cleaner frees the object)
     * @param type the kind of object
     * @return the object
     */
    public static LibolmObject create(Object owner, LibolmType type) {
        return new LibolmObject(owner, type);
    }

    /**
     * The libolm object, to pass to libolm functions.
     *
     * @return the pointer
     */
    public MemorySegment pointer() {
        if (closed) {
            throw new IllegalStateException(type.displayName() + " is closed");
        }
        return object;
    }

    /**
     * Opens this object's scratch memory for a call that needs up to {@code bytes} bytes in total.
     *
     * @param bytes the most bytes the call needs
     * @return the scratch memory; close it after the call
     */
    public Scratch scratch(long bytes) {
        pointer();
        return scratch.begin(bytes);
    }

    /**
     * Returns {@code result} unless it is {@code olm_error()}, in which case throws an {@link OlmException}
     * with this object's last error.
     *
     * @param result libolm's result
     * @param context names the operation, for the error message
     * @return the result
     */
    public long check(long result, String context) {
        if (result == OLM_ERROR) {
            throw new OlmException(OlmError.fromCode(type.lastErrorCode(object)), context);
        }
        return result;
    }

    /**
     * Whether the object was freed.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return closed;
    }

    /*
     * The calls below are the steps every wrapper repeats. Each takes the wrapper as {@code owner} and
     * keeps it reachable until the native call and the error lookup are done, so that its cleaner
     * cannot free this object meanwhile; the wrapper holds its own lock around them.
     */

    /**
     * Runs {@code init} on the new {@code owner} of this object; if it fails, closes the object.
     *
     * @param <T> the wrapper's type
     * @param owner the new wrapper
     * @param init sets the object up
     * @return the owner
     */
    public <T> T initialize(T owner, Consumer<? super T> init) {
        try {
            init.accept(owner);
            return owner;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * A new wrapper from {@code create}, its object ({@code olmOf}) restored from a libolm pickle under
     * the wrapper's lock; the wrapper is closed again if the pickle does not load.
     *
     * @param <T> the wrapper's type
     * @param pickle the pickle
     * @param pickleKey the key it was encrypted with
     * @param pickling how this kind of object is pickled
     * @param create makes an empty wrapper
     * @param olmOf the wrapper's object
     * @return the restored wrapper
     */
    public static <T> T fromPickle(String pickle, byte[] pickleKey, Pickling pickling, Supplier<T> create,
            Function<? super T, LibolmObject> olmOf) {
        Objects.requireNonNull(pickle, "pickle");
        Objects.requireNonNull(pickleKey, "pickleKey");
        T owner = create.get();
        LibolmObject olm = olmOf.apply(owner);
        return olm.initialize(owner, o -> {
            synchronized (o) {
                olm.unpickle(o, pickle, pickleKey, pickling);
            }
        });
    }

    private void unpickle(Object owner, String pickle, byte[] key, Pickling pickling) {
        MemorySegment p = pointer();
        try (Scratch s = scratch((long) pickle.length() + key.length)) {
            MemorySegment k = Libolm.put(s, key);
            MemorySegment in = Libolm.putBase64Text(s, pickle, pickling.noun() + " pickle");
            check(pickling.unpickle().call(p, k, key.length, in, in.byteSize()), "unpickling " + pickling.object());
        } finally {
            Reference.reachabilityFence(owner);
        }
    }

    /**
     * The object encrypted with {@code pickleKey}, in libolm's pickle format (unpadded base64).
     *
     * @param owner the wrapper, whose lock is held
     * @param pickleKey the key to encrypt the pickle with
     * @param pickling how this kind of object is pickled
     * @return the pickle
     */
    public String pickle(Object owner, byte[] pickleKey, Pickling pickling) {
        Objects.requireNonNull(pickleKey, "pickleKey");
        MemorySegment p = pointer();
        long n = pickling.length().applyAsLong(p);
        try (Scratch s = scratch(n + pickleKey.length)) {
            MemorySegment k = Libolm.put(s, pickleKey);
            MemorySegment out = s.take(n);
            long written = check(pickling.pickle().call(p, k, pickleKey.length, out, n), "pickling " + pickling.object());
            return Libolm.getAscii(out, written);
        } finally {
            Reference.reachabilityFence(owner);
        }
    }

    /**
     * The result of a libolm function that only reads the object and cannot fail.
     *
     * @param owner the wrapper, whose lock is held
     * @param function the libolm function
     * @return its result
     */
    public long query(Object owner, ToLongFunction<MemorySegment> function) {
        try {
            return function.applyAsLong(pointer());
        } finally {
            Reference.reachabilityFence(owner);
        }
    }

    /**
     * What {@code write} puts into a buffer of {@code length} bytes, as ASCII text (ids, key JSON).
     *
     * @param owner the wrapper, whose lock is held
     * @param length the buffer length
     * @param write the libolm function that fills the buffer
     * @param context names the operation, for the error message
     * @return the text
     */
    public String readAscii(Object owner, long length, BufferCall write, String context) {
        MemorySegment p = pointer();
        try (Scratch s = scratch(length)) {
            MemorySegment out = s.take(length);
            return Libolm.getAscii(out, check(write.call(p, out, length), context));
        } finally {
            Reference.reachabilityFence(owner);
        }
    }

    /**
     * What {@code write} puts into a buffer of {@code length} bytes, base64-decoded ({@code what} for errors).
     *
     * @param owner the wrapper, whose lock is held
     * @param length the buffer length
     * @param write the libolm function that fills the buffer
     * @param context names the operation, for the error message
     * @param what names the value, for the error message
     * @return the decoded bytes
     */
    public byte[] readBase64(Object owner, long length, BufferCall write, String context, String what) {
        MemorySegment p = pointer();
        try (Scratch s = scratch(length + Long.BYTES)) {
            MemorySegment out = s.take(length);
            return Libolm.getBase64(s, out, check(write.call(p, out, length), context), what);
        } finally {
            Reference.reachabilityFence(owner);
        }
    }

    /**
     * Calls {@code use} with {@code length} random bytes, or with {@code chosen} (of that length, checked
     * by the caller) where tests reproduce published vectors.
     *
     * @param owner the wrapper, whose lock is held
     * @param length how many random bytes
     * @param chosen the bytes to use, or null for fresh random ones
     * @param use the libolm function
     * @param context names the operation, for the error message
     */
    public void callWithRandom(Object owner, long length, byte[] chosen, BufferCall use, String context) {
        MemorySegment p = pointer();
        try (Scratch s = scratch(length)) {
            check(use.call(p, Libolm.putRandom(s, length, chosen), length), context);
        } finally {
            Reference.reachabilityFence(owner);
        }
    }

    /**
     * Sets the object's key pair from {@code secretLength} bytes, {@code secret} or fresh random ones,
     * with {@code derive(object, public, public_length, secret, secret_length)}; returns the public key,
     * which libolm writes as base64 of exactly {@code keyLength} characters.
     *
     * @param owner the wrapper, whose lock is held
     * @param keyLength the public key's length in base64
     * @param secretLength how many secret bytes
     * @param secret the secret, or null for fresh random bytes
     * @param derive the libolm function
     * @param context names the operation, for the error message
     * @param what names the key, for the error message
     * @return the public key
     */
    public byte[] deriveKeyPair(Object owner, long keyLength, long secretLength, byte[] secret, TwoBufferCall derive,
            String context, String what) {
        MemorySegment p = pointer();
        try (Scratch s = scratch(secretLength + keyLength + Long.BYTES)) {
            MemorySegment in = Libolm.putRandom(s, secretLength, secret);
            MemorySegment pub = s.take(keyLength);
            check(derive.call(p, pub, keyLength, in, secretLength), context);
            return Libolm.getBase64(s, pub, keyLength, what);
        } finally {
            Reference.reachabilityFence(owner);
        }
    }

    /**
     * Calls {@code use} with the unpadded base64 of {@code bytes}, the form libolm takes keys in.
     *
     * @param owner the wrapper, whose lock is held
     * @param bytes the bytes to pass
     * @param use the libolm function
     * @param context names the operation, for the error message
     */
    public void callWithBase64(Object owner, byte[] bytes, BufferCall use, String context) {
        MemorySegment p = pointer();
        try (Scratch s = scratch(Libolm.base64Length(bytes.length) + Long.BYTES)) {
            MemorySegment in = Libolm.putBase64(s, bytes);
            check(use.call(p, in, in.byteSize()), context);
        } finally {
            Reference.reachabilityFence(owner);
        }
    }

    /**
     * Passes {@code input} and an output buffer of {@code length} bytes to {@code call} (signing,
     * encrypting) and returns the output, base64-decoded ({@code what} for errors).
     *
     * @param owner the wrapper, whose lock is held
     * @param input the input
     * @param length the output buffer's length
     * @param call the libolm function
     * @param context names the operation, for the error message
     * @param what names the output, for the error message
     * @return the decoded output
     */
    public byte[] transform(Object owner, byte[] input, long length, TwoBufferCall call, String context,
            String what) {
        MemorySegment p = pointer();
        try (Scratch s = scratch(input.length + length + Long.BYTES)) {
            MemorySegment in = Libolm.put(s, input);
            MemorySegment out = s.take(length);
            long written = check(call.call(p, in, input.length, out, length), context);
            return Libolm.getBase64(s, out, written, what);
        } finally {
            Reference.reachabilityFence(owner);
        }
    }

    /** Wipes and frees the object; later calls fail with {@link IllegalStateException}. Idempotent. */
    public void close() {
        closed = true;
        cleanable.clean();
    }

    /** The release action; holds no reference to the wrapper, so it can become unreachable. */
    private record Release(LibolmType type, MemorySegment object, Scratch scratch, Arena arena) implements Runnable {
        @Override
        public void run() {
            try {
                type.clear(object);
                scratch.wipeKept();
            } finally {
                arena.close();
            }
        }
    }
}
