package org.panolm.bindings;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Finds and loads libpanolm: the copy bundled in the panolm-native jar, extracted to a private (0700)
 * temporary directory, checked, loaded and deleted at once; or the file named by the system property
 * {@code panolm.library.path}. It is loaded once, on first use, into the global arena and stays for the
 * life of the JVM. (libolm is not part of the product: only the tests' libolm-oracle module loads it.)
 */
public final class NativeLibraries {
    private NativeLibraries() {}

    /** The ABI version this Java code was written against; libpanolm must report the same. */
    public static final int EXPECTED_ABI_VERSION = 1;
    public static final String LIBRARY_PATH_PROPERTY = "panolm.library.path";

    private static final Loaded<SymbolLookup> PANOLM = new Loaded<>(NativeLibraries::loadPanolm);
    private static volatile String panolmSource;

    /** The lookup for libpanolm. @throws NativeLibraryUnavailableException saying why not */
    public static Supplier<SymbolLookup> panolm() {
        return PANOLM;
    }

    /** Where libpanolm was loaded from: a {@code jar:} URL, a {@code file:} URL, or the property's path. */
    public static String panolmSource() {
        PANOLM.get();
        return panolmSource;
    }

    private static SymbolLookup loadPanolm() {
        SymbolLookup lookup;
        try {
            String override = System.getProperty(LIBRARY_PATH_PROPERTY);
            if (override != null && !override.isBlank()) {
                Path path = Path.of(override);
                lookup = SymbolLookup.libraryLookup(path, Arena.global());
                panolmSource = path.toAbsolutePath().toString();
            } else {
                lookup = loadBundled();
            }
        } catch (IllegalArgumentException e) {
            throw new NativeLibraryUnavailableException("libpanolm could not be loaded: " + e.getMessage()
                    + ". It needs the shared libraries of the Debian packages libssl3 and libsodium23", e);
        } catch (IllegalCallerException e) {
            throw nativeAccessDenied(e);
        }
        handshake(lookup);
        return lookup;
    }

    private static SymbolLookup loadBundled() {
        String resource = "/org/panolm/native/" + platform() + "/libpanolm.so";
        URL url = NativeLibraries.class.getResource(resource);
        if (url == null) {
            throw new NativeLibraryUnavailableException("libpanolm for " + platform()
                    + " is not on the class path (resource " + resource + " of panolm-native); build it with "
                    + "'mvn -pl native package' or set -D" + LIBRARY_PATH_PROPERTY, null);
        }
        Path dir = null;
        Path file = null;
        try {
            dir = Files.createTempDirectory("panolm-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            var owner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS);
            if (!owner.equals(Files.getOwner(Path.of(System.getProperty("java.io.tmpdir"))))
                    && !owner.getName().equals(System.getProperty("user.name"))) {
                throw new IOException("temporary directory " + dir + " is not owned by this user");
            }
            file = dir.resolve("libpanolm.so");
            try (InputStream in = url.openStream()) {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            }
            SymbolLookup lookup = SymbolLookup.libraryLookup(file, Arena.global());
            panolmSource = url.toString();
            return lookup;
        } catch (IOException e) {
            throw new NativeLibraryUnavailableException("could not extract libpanolm: " + e.getMessage(), e);
        } finally {
            // Once mapped, the file is no longer needed: nothing is left behind, even after a crash.
            deleteQuietly(file);
            deleteQuietly(dir);
        }
    }

    private static void handshake(SymbolLookup lookup) {
        Linker linker = Linker.nativeLinker();
        MethodHandle init = linker.downcallHandle(lookup.find("panolm_init").orElseThrow(),
                FunctionDescriptor.of(Ffm.C_INT));
        MethodHandle abi = linker.downcallHandle(lookup.find("panolm_abi_version").orElseThrow(),
                FunctionDescriptor.of(Ffm.C_INT));
        try {
            int version = (int) abi.invokeExact();
            if (version != EXPECTED_ABI_VERSION) {
                throw new NativeLibraryUnavailableException("libpanolm has ABI version " + version
                        + " but this panolm-bindings expects " + EXPECTED_ABI_VERSION
                        + ": the jar and the native library come from different builds", null);
            }
            int status = (int) init.invokeExact();
            if (status != 0) {
                throw new NativeLibraryUnavailableException("libpanolm failed to initialise libsodium", null);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static String platform() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("linux") ? "linux"
                : System.getProperty("os.name").toLowerCase(Locale.ROOT).replace(' ', '_');
        String arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "x86-64";
            case "aarch64", "arm64" -> "aarch64";
            default -> System.getProperty("os.arch");
        };
        return os + "-" + arch;
    }

    private static NativeLibraryUnavailableException nativeAccessDenied(IllegalCallerException e) {
        return new NativeLibraryUnavailableException(
                "native access is not enabled; run java with --enable-native-access=ALL-UNNAMED", e);
    }

    private static void deleteQuietly(Path p) {
        if (p == null) return;
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // A leftover empty private directory in the temp folder is harmless.
        }
    }

    /** A value computed once; a failure is remembered and thrown again on every later call. */
    private static final class Loaded<T> implements Supplier<T> {
        private final Supplier<T> loader;
        private T value;
        private RuntimeException failure;

        Loaded(Supplier<T> loader) {
            this.loader = loader;
        }

        @Override
        public synchronized T get() {
            if (value == null && failure == null) {
                try {
                    value = loader.get();
                } catch (RuntimeException e) {
                    failure = e;
                }
            }
            if (failure != null) throw failure;
            return value;
        }
    }
}
