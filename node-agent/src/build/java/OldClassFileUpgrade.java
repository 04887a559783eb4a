import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.lang.constant.ClassDesc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Build step: rewrites the class files in a jar that are older than Java 6 (version 50) as Java 8 class files with
 * stack maps, nothing else changed. The JDK's ahead-of-time cache leaves such old classes out (they are verified by
 * the old type-inferring verifier at run time), and picocli ships as Java 5 class files: without this step every
 * start of tcphealth loads, verifies and links picocli from the jar again.
 *
 * <p>Usage: {@code java OldClassFileUpgrade.java JAR} (the jar is replaced).
 */
public final class OldClassFileUpgrade {
    private static final int JAVA_8 = 52;

    public static void main(String[] args) throws IOException {
        Path jar = Path.of(args[0]);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        Map<String, Long> times = new HashMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.put(e.getName(), e.isDirectory() ? null : in.readAllBytes());
                times.put(e.getName(), e.getTime());
            }
        }
        // Stack maps need the class hierarchy; the old classes' own come from the jar, the rest from the JDK.
        Map<ClassDesc, ClassHierarchyResolver.ClassHierarchyInfo> inJar = new HashMap<>();
        ClassFile plain = ClassFile.of();
        entries.forEach((name, bytes) -> {
            if (bytes != null && name.endsWith(".class") && !name.startsWith("META-INF/")) {
                ClassModel m = plain.parse(bytes);
                inJar.put(m.thisClass().asSymbol(), (m.flags().flagsMask() & ClassFile.ACC_INTERFACE) != 0
                        ? ClassHierarchyResolver.ClassHierarchyInfo.ofInterface()
                        : ClassHierarchyResolver.ClassHierarchyInfo.ofClass(m.superclass().map(c -> c.asSymbol()).orElse(null)));
            }
        });
        ClassHierarchyResolver resolver = ((ClassHierarchyResolver) inJar::get).orElse(ClassHierarchyResolver.defaultResolver());
        ClassFile upgrade = ClassFile.of(ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
                ClassFile.ClassHierarchyResolverOption.of(resolver));
        int upgraded = 0;
        Path out = jar.resolveSibling(jar.getFileName() + ".upgrading");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(out))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                byte[] bytes = e.getValue();
                if (bytes != null && e.getKey().endsWith(".class") && !e.getKey().startsWith("META-INF/")) {
                    ClassModel m = upgrade.parse(bytes);
                    if (m.majorVersion() < 50) {
                        bytes = upgrade.transformClass(m, ClassTransform.endHandler(b -> b.withVersion(JAVA_8, 0))
                                .andThen(ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL)));
                        upgraded++;
                    }
                }
                ZipEntry entry = new ZipEntry(e.getKey());
                entry.setTime(times.get(e.getKey()));
                zip.putNextEntry(entry);
                if (bytes != null) {
                    zip.write(bytes);
                }
                zip.closeEntry();
            }
        }
        Files.move(out, jar, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("Rewrote " + upgraded + " class files older than Java 6 in " + jar + " as Java 8 class files");
    }
}
