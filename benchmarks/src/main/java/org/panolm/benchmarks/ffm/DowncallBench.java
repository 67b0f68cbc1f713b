package org.panolm.benchmarks.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import org.panolm.benchmarks.support.Jvm;
import org.panolm.bindings.Ffm;
import org.panolm.bindings.NativeLibraries;

/**
 * The price of crossing into C once: a trivial libpanolm function without arguments
 * ({@code panolm_abi_version}) and one taking two segments ({@code panolm_ct_equal} on 16 bytes),
 * linked with and without {@code Linker.Option.critical}; critical calls may also take heap arrays.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {Jvm.NATIVE_ACCESS, Jvm.JMH_UNSAFE})
public class DowncallBench {
    private static final FunctionDescriptor NO_ARGS = FunctionDescriptor.of(Ffm.C_INT);
    private static final FunctionDescriptor TWO_SEGMENTS =
            FunctionDescriptor.of(Ffm.C_INT, Ffm.C_POINTER, Ffm.C_POINTER, Ffm.C_LONG);

    private static final MethodHandle VERSION = Ffm.downcall(NativeLibraries.panolm(), "panolm_abi_version", NO_ARGS, false);
    private static final MethodHandle VERSION_CRITICAL =
            Ffm.downcall(NativeLibraries.panolm(), "panolm_abi_version", NO_ARGS, true);
    private static final MethodHandle CT_EQUAL = Ffm.downcall(NativeLibraries.panolm(), "panolm_ct_equal", TWO_SEGMENTS, false);
    private static final MethodHandle CT_EQUAL_CRITICAL =
            Ffm.downcall(NativeLibraries.panolm(), "panolm_ct_equal", TWO_SEGMENTS, true);

    private Arena arena;
    private MemorySegment a;
    private MemorySegment b;
    private MemorySegment heapA;
    private MemorySegment heapB;

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofConfined();
        a = arena.allocate(16);
        b = arena.allocate(16);
        heapA = MemorySegment.ofArray(new byte[16]);
        heapB = MemorySegment.ofArray(new byte[16]);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public int noArguments() throws Throwable {
        return (int) VERSION.invokeExact();
    }

    @Benchmark
    public int noArgumentsCritical() throws Throwable {
        return (int) VERSION_CRITICAL.invokeExact();
    }

    @Benchmark
    public int nativeSegments() throws Throwable {
        return (int) CT_EQUAL.invokeExact(a, b, 16L);
    }

    @Benchmark
    public int nativeSegmentsCritical() throws Throwable {
        return (int) CT_EQUAL_CRITICAL.invokeExact(a, b, 16L);
    }

    @Benchmark
    public int heapSegmentsCritical() throws Throwable {
        return (int) CT_EQUAL_CRITICAL.invokeExact(heapA, heapB, 16L);
    }
}
