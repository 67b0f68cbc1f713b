package org.panolm.benchmarks.support;

/** Flags every benchmark fork needs. */
public final class Jvm {
    private Jvm() {}

    /** libpanolm and libolm are called through FFM; granting access also keeps the JDK's warning away. */
    public static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

    /** JMH 1.37 reads field offsets with sun.misc.Unsafe; allowing it keeps JDK 24+ from warning. */
    public static final String JMH_UNSAFE = "--sun-misc-unsafe-memory-access=allow";
}
