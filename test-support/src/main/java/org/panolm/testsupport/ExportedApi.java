package org.panolm.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;

/**
 * The checks of a module's API shared by core, engine and client. Jackson stays out of it: no public or protected
 * signature of a package the module exports to everyone may name a {@code com.fasterxml} type, and the module must
 * not require Jackson transitively, so a consumer needs no Jackson to compile against panolm. Annotations are not
 * signatures: javac compiles a consumer whose class path lacks an annotation type, and {@link #compile} proves it
 * with the compiler itself. Nullness is declared: {@link #assertNullMarked} checks that packages are JSpecify
 * {@code @NullMarked}, so Kotlin and null checkers read every unannotated type as non-null.
 *
 * <p>It reads the module's compiled classes (its {@code module-info.class} and the class files of each exported
 * package), so it works when the tests run on the class path.
 */
public final class ExportedApi {
    private static final String JACKSON = "com.fasterxml.";

    private final Path classes;
    private final ClassLoader loader;

    private ExportedApi(Path classes, ClassLoader loader) {
        this.classes = classes;
        this.loader = loader;
    }

    /**
     * The module whose main classes hold {@code anyClass}.
     *
     * @param anyClass a class of the module's main code (not a test class)
     * @return the checker
     */
    public static ExportedApi of(Class<?> anyClass) {
        return new ExportedApi(codeSource(anyClass), anyClass.getClassLoader());
    }

    /** The directory or jar a class was loaded from. */
    public static Path codeSource(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The module's compiled classes directory. */
    public Path classes() {
        return classes;
    }

    /** The module's descriptor, read from its {@code module-info.class}. */
    public ModuleDescriptor descriptor() {
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            return ModuleDescriptor.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The packages the module exports to everyone. */
    public List<String> unqualifiedExports() {
        return descriptor().exports().stream().filter(e -> !e.isQualified()).map(ModuleDescriptor.Exports::source)
                .sorted().toList();
    }

    /**
     * Every package of the module that holds classes, exported or not, read from its compiled classes.
     *
     * @return the package names, sorted
     */
    public List<String> packages() {
        try (Stream<Path> files = Files.walk(classes)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".class"))
                    .filter(f -> !f.getFileName().toString().equals("module-info.class"))
                    .map(f -> classes.relativize(f.getParent()).toString().replace(File.separatorChar, '.'))
                    .filter(p -> !p.isEmpty()).distinct().sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Asserts that each of {@code packages} has a {@code package-info} annotated {@code @NullMarked} (JSpecify, read
     * by reflection: the annotation is retained at run time).
     *
     * @param packages the package names
     */
    public void assertNullMarked(List<String> packages) {
        List<String> unmarked = new ArrayList<>();
        for (String p : packages) {
            try {
                Class<?> info = Class.forName(p + ".package-info", false, loader);
                if (info.getAnnotation(NullMarked.class) == null) unmarked.add(p);
            } catch (ClassNotFoundException e) {
                unmarked.add(p + " (no package-info)");
            }
        }
        assertEquals(List.of(), unmarked, "packages that are not @NullMarked");
    }

    /**
     * Whether a use of a type carries JSpecify's {@code @Nullable}.
     *
     * @param use a parameter's, return's, component's or bound's annotated type
     * @return true when it is marked nullable
     */
    public static boolean nullable(AnnotatedType use) {
        return use.isAnnotationPresent(Nullable.class);
    }

    /**
     * Asserts that exactly the named components of {@code record} are {@code @Nullable}, and no other.
     *
     * @param record the record
     * @param nullable the names of its nullable components
     */
    public static void assertNullableComponents(Class<? extends Record> record, String... nullable) {
        List<String> expected = List.of(nullable);
        for (RecordComponent c : record.getRecordComponents()) {
            assertEquals(expected.contains(c.getName()), nullable(c.getAnnotatedType()),
                    record.getSimpleName() + "." + c.getName());
        }
    }

    /**
     * Asserts that every package of the module that holds classes ({@link #packages()}) is {@code @NullMarked}.
     *
     * @param minPackages at least this many packages must have been found (a check that the scan saw the module)
     * @return the packages checked
     */
    public List<String> assertEveryPackageNullMarked(int minPackages) {
        List<String> packages = packages();
        assertTrue(packages.size() >= minPackages, "only " + packages.size() + " packages found: " + packages);
        assertNullMarked(packages);
        return packages;
    }

    /**
     * Asserts that no signature of an unqualified export names Jackson and that Jackson is not required
     * transitively.
     *
     * @param minTypes at least this many public types must have been scanned (a check that the scan saw the API)
     * @return how many public types were scanned
     */
    public int assertNoJacksonInTheApi(int minTypes) {
        List<String> found = new ArrayList<>();
        int types = 0;
        for (String p : unqualifiedExports()) {
            for (Class<?> c : publicTypes(p)) {
                types++;
                found.addAll(jacksonIn(c));
            }
        }
        assertTrue(types >= minTypes, "only " + types + " public types scanned in " + unqualifiedExports());
        assertEquals(List.of(), found, "Jackson types in exported signatures");
        for (ModuleDescriptor.Requires r : descriptor().requires()) {
            if (r.name().startsWith("com.fasterxml")) {
                assertFalse(r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE),
                        "a consumer must not be handed Jackson: " + r);
            }
        }
        return types;
    }

    /** Every Jackson mention in the public signatures of the public types of package {@code p}. */
    public List<String> jacksonInPackage(String p) {
        List<String> found = new ArrayList<>();
        for (Class<?> c : publicTypes(p)) found.addAll(jacksonIn(c));
        return found;
    }

    /** Every public or protected signature of {@code c} that names a Jackson type. */
    public static List<String> jacksonIn(Class<?> c) {
        List<String> out = new ArrayList<>();
        String name = c.getName();
        check(out, name + " extends", c.getGenericSuperclass());
        for (Type t : c.getGenericInterfaces()) check(out, name + " implements", t);
        for (TypeVariable<?> v : c.getTypeParameters()) for (Type b : v.getBounds()) check(out, name + "<" + v + ">", b);
        if (c.isRecord()) {
            for (RecordComponent rc : c.getRecordComponents()) check(out, name + "." + rc.getName() + " (component)", rc.getGenericType());
        }
        for (Field f : c.getDeclaredFields()) {
            if (visible(f)) check(out, name + "." + f.getName(), f.getGenericType());
        }
        for (Constructor<?> k : c.getDeclaredConstructors()) {
            if (visible(k)) executable(out, name + ".<init>", k);
        }
        for (Method m : c.getDeclaredMethods()) {
            if (visible(m) && !m.isSynthetic() && !m.isBridge()) {
                check(out, name + "." + m.getName() + " returns", m.getGenericReturnType());
                executable(out, name + "." + m.getName(), m);
            }
        }
        return out;
    }

    private static void executable(List<String> out, String where, Executable e) {
        for (Type t : e.getGenericParameterTypes()) check(out, where + " takes", t);
        for (Type t : e.getGenericExceptionTypes()) check(out, where + " throws", t);
        for (TypeVariable<?> v : e.getTypeParameters()) for (Type b : v.getBounds()) check(out, where + " <" + v + ">", b);
    }

    private static void check(List<String> out, String where, Type t) {
        if (t != null && t.getTypeName().contains(JACKSON)) {
            out.add(where + " " + t.getTypeName());
        }
    }

    private static boolean visible(Member m) {
        return (m.getModifiers() & (Modifier.PUBLIC | Modifier.PROTECTED)) != 0;
    }

    /** The public types of package {@code p} (nested ones too, when every enclosing type is public). */
    public List<Class<?>> publicTypes(String p) {
        Path dir = classes.resolve(p.replace('.', '/'));
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.map(f -> f.getFileName().toString())
                    .filter(f -> f.endsWith(".class") && !f.equals("package-info.class"))
                    .forEach(f -> names.add(p + "." + f.substring(0, f.length() - ".class".length())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Class<?>> out = new ArrayList<>();
        for (String n : names) {
            try {
                Class<?> c = Class.forName(n, false, loader);
                if (exposed(c)) out.add(c);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(n, e);
            }
        }
        return out;
    }

    private static boolean exposed(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getDeclaringClass()) {
            if (k.isAnonymousClass() || k.isLocalClass()) return false;
            int mods = k.getModifiers();
            boolean ok = k.getDeclaringClass() == null ? Modifier.isPublic(mods) : (mods & (Modifier.PUBLIC | Modifier.PROTECTED)) != 0;
            if (!ok) return false;
        }
        return true;
    }

    /**
     * Compiles {@code source} (a class {@code Consumer} in the default package) with this JDK's javac on
     * {@code classPath} alone, annotation processing off, and asserts that it compiles and that no Jackson jar is
     * on the class path.
     *
     * @param dir an empty directory to compile in
     * @param source the consumer's source
     * @param classPath the class path entries (directories or jars)
     */
    public static void compile(Path dir, String source, List<Path> classPath) throws IOException, InterruptedException {
        Path file = dir.resolve("Consumer.java");
        Files.writeString(file, source);
        String cp = String.join(File.pathSeparator, classPath.stream().map(Path::toString).toList());
        assertFalse(cp.contains("jackson"), cp);
        Path javac = Path.of(System.getProperty("java.home"), "bin", "javac");
        Process p = new ProcessBuilder(javac.toString(), "-proc:none", "-d", dir.toString(), "-cp", cp,
                file.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output);
        assertTrue(Files.exists(dir.resolve("Consumer.class")));
    }
}
