package org.panolm.bindings;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * Finds and loads libpanolm: the copy bundled in the panolm-native jar of this platform (classifier
 * {@code linux-x86_64}, resource {@code org/panolm/native/linux-x86_64/libpanolm.so}), extracted to a
 * private (0700) temporary directory, loaded and deleted at once; or the file named by the system property
 * {@code panolm.library.path}. Either must report the version of this jar and its ABI version, or loading
 * fails with one error that says which is which. It is loaded once, on first use, into the global arena and
 * stays for the life of the JVM. (libolm is not part of the product: only the tests' libolm-oracle module
 * loads it.) Loading is logged through {@link System.Logger} ({@code org.panolm.bindings.NativeLibraries}): where
 * libpanolm came from at {@code DEBUG}, a temporary file that could not be deleted at {@code WARNING}.
 */
public final class NativeLibraries {
    private NativeLibraries() {}

    /** The ABI version this Java code was written against; libpanolm must report the same. */
    public static final int EXPECTED_ABI_VERSION = 1;
    /** The module name of the panolm-native jar (its {@code Automatic-Module-Name}). */
    public static final String NATIVE_MODULE = "org.panolm.libpanolm";
    /** The system property naming a libpanolm file to load instead of the bundled copy. */
    public static final String LIBRARY_PATH_PROPERTY = "panolm.library.path";

    private static final System.Logger LOG = System.getLogger(NativeLibraries.class.getName());

    private static final Loaded<SymbolLookup> PANOLM = new Loaded<>(NativeLibraries::loadPanolm);
    private static volatile String panolmSource;

    /**
     * The lookup for libpanolm, loaded on the first {@code get()}.
     *
     * @return the lookup; its {@code get()} throws {@link NativeLibraryUnavailableException} saying why
     *         the library cannot be loaded
     */
    public static Supplier<SymbolLookup> panolm() {
        return PANOLM;
    }

    /**
     * Where libpanolm was loaded from, loading it if needed.
     *
     * @return a {@code jar:} URL, a {@code file:} URL, or the path named by {@link #LIBRARY_PATH_PROPERTY}
     */
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
            // The bundled build needs only glibc; a development build (make LINK=dynamic) needs more.
            throw new NativeLibraryUnavailableException("libpanolm could not be loaded: " + e.getMessage()
                    + ". It needs glibc 2.34 or newer; a build linked to the system's OpenSSL and libsodium "
                    + "also needs the Debian packages libssl3 and libsodium23", e);
        } catch (IllegalCallerException e) {
            throw nativeAccessDenied(e);
        }
        String version = handshake(lookup);
        LOG.log(System.Logger.Level.DEBUG, "libpanolm {0} loaded from {1}", version, panolmSource);
        return lookup;
    }

    /**
     * The bundled library: from the module {@value #NATIVE_MODULE} in this module's layer (module path), else
     * through this class's loader (class path). The resource's folder is no Java package, so no module
     * encapsulates it; {@code Class.getResource} would look only inside this module, hence the loaders.
     */
    static URL findBundled(String resource) {
        Module self = NativeLibraries.class.getModule();
        if (self.isNamed() && self.getLayer() != null) {
            Optional<Module> lib = self.getLayer().findModule(NATIVE_MODULE);
            if (lib.isPresent() && lib.get().getClassLoader() != null) {
                URL url = lib.get().getClassLoader().getResource(resource);
                if (url != null) {
                    return url;
                }
            }
        }
        ClassLoader loader = NativeLibraries.class.getClassLoader();
        return loader == null ? ClassLoader.getSystemResource(resource) : loader.getResource(resource);
    }

    private static SymbolLookup loadBundled() {
        String resource = "org/panolm/native/" + platform() + "/libpanolm.so";
        URL url = findBundled(resource);
        if (url == null) {
            throw new NativeLibraryUnavailableException("libpanolm for " + platform()
                    + " is not on the class path or module path (resource " + resource + "): add the dependency "
                    + "org.panolm:panolm-native:" + javaVersion() + " with classifier " + platform()
                    + " (on the module path also --add-modules " + NATIVE_MODULE + "), or set -D"
                    + LIBRARY_PATH_PROPERTY, null);
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

    /** Checks that the library is the one this jar was built with, initialises it, returns its version. */
    private static String handshake(SymbolLookup lookup) {
        Linker linker = Linker.nativeLinker();
        MethodHandle init = linker.downcallHandle(lookup.find("panolm_init").orElseThrow(),
                FunctionDescriptor.of(Ffm.C_INT));
        MethodHandle abi = linker.downcallHandle(lookup.find("panolm_abi_version").orElseThrow(),
                FunctionDescriptor.of(Ffm.C_INT));
        Optional<MemorySegment> versionSymbol = lookup.find("panolm_version");
        try {
            String version = null;
            if (versionSymbol.isPresent()) {
                MethodHandle versionCall = linker.downcallHandle(versionSymbol.get(),
                        FunctionDescriptor.of(Ffm.C_POINTER));
                version = readVersion((MemorySegment) versionCall.invokeExact());
            }
            String mismatch = mismatch(javaVersion(), version, (int) abi.invokeExact(), panolmSource);
            if (mismatch != null) {
                throw new NativeLibraryUnavailableException(mismatch, null);
            }
            int status = (int) init.invokeExact();
            if (status != 0) {
                throw new NativeLibraryUnavailableException("libpanolm failed to initialise OpenSSL or libsodium", null);
            }
            return version;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    @SuppressWarnings("restricted") // a C string the library owns; its length is bounded here
    private static String readVersion(MemorySegment cString) {
        try {
            return cString.reinterpret(VERSION_MAX).getString(0);
        } catch (IndexOutOfBoundsException e) {
            return "(a version longer than " + VERSION_MAX + " bytes)";
        }
    }

    private static final int VERSION_MAX = 128;

    /**
     * Why a library that reports {@code libraryVersion} and {@code libraryAbi} cannot serve this jar, or
     * null when it can. The version decides first: it is what a user chose, and what they must change.
     */
    static String mismatch(String javaVersion, String libraryVersion, int libraryAbi, String source) {
        if (libraryVersion == null) {
            return "libpanolm from " + source + " reports no version: it is older than this panolm-bindings "
                    + javaVersion + ". Use panolm-native " + javaVersion
                    + " (import org.panolm:panolm-bom to keep the panolm artifacts at one version)";
        }
        if (!libraryVersion.equals(javaVersion)) {
            return "libpanolm " + libraryVersion + " (from " + source + ") does not match panolm-bindings "
                    + javaVersion + ". Use panolm-native " + javaVersion
                    + " (import org.panolm:panolm-bom to keep the panolm artifacts at one version)";
        }
        if (libraryAbi != EXPECTED_ABI_VERSION) {
            return "libpanolm " + libraryVersion + " (from " + source + ") has ABI version " + libraryAbi
                    + " but this panolm-bindings " + javaVersion + " expects " + EXPECTED_ABI_VERSION
                    + ": the two come from different builds of " + javaVersion + "; rebuild them together";
        }
        return null;
    }

    /**
     * The version of this jar, which the native library must report too.
     *
     * @return the Maven project version panolm-bindings was built as, e.g. {@code 0.1.0}
     */
    public static String javaVersion() {
        return JavaVersion.VALUE;
    }

    /** Read once, from a resource the build writes (version.properties, filtered by Maven). */
    private static final class JavaVersion {
        static final String VALUE = read();

        private static String read() {
            try (InputStream in = NativeLibraries.class.getResourceAsStream("version.properties")) {
                if (in == null) throw new IllegalStateException("version.properties is missing from panolm-bindings");
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v == null || v.isBlank() || v.startsWith("${")) {
                    throw new IllegalStateException("version.properties of panolm-bindings names no version");
                }
                return v;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /**
     * The platform name: the classifier of the panolm-native jar that serves this machine and the
     * folder of its library, {@code org/panolm/native/<platform>/}.
     *
     * @return e.g. {@code linux-x86_64}
     */
    public static String platform() {
        String osName = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String os = osName.startsWith("linux") ? "linux" : osName.replace(' ', '_');
        String arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch_64"; // the names os-maven-plugin gives, as classifiers
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
        } catch (IOException e) {
            // Harmless (a private copy of a public library), but a user cleaning the temp folder asks why.
            LOG.log(System.Logger.Level.WARNING, "could not delete the temporary copy {0}: {1}", p, e.toString());
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
