package io.tcphealth.api.v1alpha1;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The committed CRDs (what users apply) and the serializer the operator and agent use. */
public final class Crds {

    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private Crds() {}

    static CustomResourceDefinition committed(Class<? extends HasMetadata> kind) {
        Path file = CrdLayout.committedDir().resolve(CrdLayout.committedFileName(kind));
        try (InputStream in = Files.newInputStream(file)) {
            return SERIALIZATION.unmarshal(in, CustomResourceDefinition.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read CRD " + file, e);
        }
    }

    public static StructuralSchema schema(Class<? extends HasMetadata> kind) {
        return StructuralSchema.of(committed(kind), TcpHealthPolicy.VERSION);
    }

    public static JsonNode yaml(Path file) {
        try {
            return CommittedCrd.YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read YAML " + file, e);
        }
    }

    /**
     * The file as a typed policy, read as strictly as the agent reads a policy file: unknown fields and unknown
     * enum values are errors.
     *
     * @throws IllegalArgumentException when the file does not read as a TcpHealthPolicy
     */
    public static TcpHealthPolicy strict(Path file) {
        try {
            return STRICT.treeToValue(yaml(file), TcpHealthPolicy.class);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper STRICT =
            new com.fasterxml.jackson.databind.ObjectMapper()
                    .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                    .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                    .disable(com.fasterxml.jackson.databind.DeserializationFeature.ACCEPT_FLOAT_AS_INT);

    /** The object as JSON, exactly as the fabric8 client would send it. */
    static JsonNode json(HasMetadata resource) {
        try {
            return CommittedCrd.YAML.readTree(SERIALIZATION.asJson(resource));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
