package org.panolm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jackson is an implementation detail of core: no public or protected signature of a package core exports to
 * everyone may name a {@code com.fasterxml} type, so a consumer needs no Jackson to compile against panolm.
 * Annotations are not signatures: javac compiles a consumer whose class path lacks an annotation type, and
 * {@link #aConsumerCompilesWithoutJackson} proves it with the compiler itself.
 */
class ExportedApiTest {
    private static final String JACKSON = "com.fasterxml.";

    @Test
    void noExportedSignatureMentionsJackson() throws Exception {
        ModuleDescriptor module = descriptor();
        List<String> open = module.exports().stream().filter(e -> !e.isQualified()).map(ModuleDescriptor.Exports::source).toList();
        assertTrue(open.size() >= 10, "unqualified exports: " + open);
        List<String> found = new ArrayList<>();
        int types = 0;
        for (String p : open) {
            for (Class<?> c : publicTypes(p)) {
                types++;
                found.addAll(jacksonIn(c));
            }
        }
        assertTrue(types > 80, "only " + types + " public types scanned");
        assertEquals(List.of(), found, "Jackson types in exported signatures");
        for (ModuleDescriptor.Requires r : module.requires()) {
            if (r.name().startsWith("com.fasterxml")) {
                assertTrue(!r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE),
                        "a consumer must not be handed Jackson: " + r);
            }
        }
    }

    @Test
    void aConsumerCompilesWithoutJackson(@TempDir Path dir) throws Exception {
        // The wire records keep their Jackson annotations; javac must still compile a user's code without Jackson.
        Path source = dir.resolve("Consumer.java");
        Files.writeString(source, """
                import org.panolm.backup.BackupAuthData;
                import org.panolm.crosssigning.OwnCrossSigning;
                import org.panolm.verification.OutgoingEvent;
                class Consumer {
                    static String key(BackupAuthData authData) { return authData.publicKey() + authData.other(); }
                    static String master() {
                        try (OwnCrossSigning own = OwnCrossSigning.generate("@a:example.org")) {
                            return own.publicKeys().master().json();
                        }
                    }
                    static String content(OutgoingEvent e) { return e.content(); }
                }
                """);
        String classPath = String.join(File.pathSeparator, List.of(classesRoot().toString(),
                codeSource(org.panolm.bindings.NativeLibraries.class), codeSource(org.jspecify.annotations.Nullable.class)));
        assertTrue(!classPath.contains("jackson"), classPath);
        Path javac = Path.of(System.getProperty("java.home"), "bin", "javac");
        Process p = new ProcessBuilder(javac.toString(), "-proc:none", "-d", dir.toString(), "-cp", classPath,
                source.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output);
        assertTrue(Files.exists(dir.resolve("Consumer.class")));
    }

    private static String codeSource(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    @Test
    void theCheckSeesJacksonInAQualifiedPackage() throws Exception {
        // The tree fast path is exported to panolm's modules only; the same scan must flag it, or it proves nothing.
        List<String> found = new ArrayList<>();
        for (Class<?> c : publicTypes("org.panolm.internal.json")) {
            found.addAll(jacksonIn(c));
        }
        assertTrue(found.stream().anyMatch(s -> s.contains("CanonicalTree.encode")), found.toString());
        assertTrue(found.stream().anyMatch(s -> s.contains("TreeBatches.addEvent")), found.toString());

    }

    /** Every public or protected signature of {@code c} that names a Jackson type. */
    static List<String> jacksonIn(Class<?> c) {
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
    private static List<Class<?>> publicTypes(String p) throws IOException, URISyntaxException, ClassNotFoundException {
        Path dir = classesRoot().resolve(p.replace('.', '/'));
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.map(f -> f.getFileName().toString())
                    .filter(f -> f.endsWith(".class") && !f.equals("package-info.class"))
                    .forEach(f -> names.add(p + "." + f.substring(0, f.length() - ".class".length())));
        }
        List<Class<?>> out = new ArrayList<>();
        for (String n : names) {
            Class<?> c = Class.forName(n, false, ExportedApiTest.class.getClassLoader());
            if (exposed(c)) out.add(c);
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

    private static Path classesRoot() throws URISyntaxException {
        return Path.of(PanolmException.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static ModuleDescriptor descriptor() throws IOException, URISyntaxException {
        try (InputStream in = Files.newInputStream(classesRoot().resolve("module-info.class"))) {
            return ModuleDescriptor.read(in);
        }
    }
}
