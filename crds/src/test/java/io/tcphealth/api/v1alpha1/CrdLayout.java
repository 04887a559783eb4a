package io.tcphealth.api.v1alpha1;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the CRDs live. The build passes the folders as system properties (see crds/pom.xml); the defaults
 * fit a test run from the crds folder.
 */
public final class CrdLayout {

    static final List<Class<? extends CustomResource<?, ?>>> KINDS =
            List.of(TcpHealthPolicy.class, TcpHealthNode.class);

    private CrdLayout() {}

    /** What crd-generator-maven-plugin wrote at process-classes. */
    static Path generatedDir() {
        return folder("tcphealth.generatedCrds", "target/classes/META-INF/fabric8");
    }

    /** The committed copy in the crds module. */
    static Path committedDir() {
        return folder("tcphealth.committedCrds", "generated");
    }

    /** The committed copy Helm installs. */
    static Path chartDir() {
        return folder("tcphealth.chartCrds", "../charts/tcphealth/crds");
    }

    public static Path examplesDir() {
        return folder("tcphealth.examples", "../examples");
    }

    static boolean updateRequested() {
        String value = System.getProperty("tcphealth.updateCrds", "false");
        return value.isEmpty() || Boolean.parseBoolean(value);
    }

    /** The plugin's file name: {@code <plural>.<group>-v1.yml}. */
    static String generatedFileName(Class<? extends HasMetadata> kind) {
        return HasMetadata.getFullResourceName(kind) + "-v1.yml";
    }

    /** The committed file name: {@code <plural>.<group>.yaml}, the CRD's own name. */
    static String committedFileName(Class<? extends HasMetadata> kind) {
        return HasMetadata.getFullResourceName(kind) + ".yaml";
    }

    private static Path folder(String property, String fallback) {
        return Path.of(System.getProperty(property, fallback)).toAbsolutePath().normalize();
    }
}
