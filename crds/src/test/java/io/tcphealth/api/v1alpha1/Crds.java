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
final class Crds {

  static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private Crds() {
  }

  static CustomResourceDefinition committed(Class<? extends HasMetadata> kind) {
    Path file = CrdLayout.committedDir().resolve(CrdLayout.committedFileName(kind));
    try (InputStream in = Files.newInputStream(file)) {
      return SERIALIZATION.unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read CRD " + file, e);
    }
  }

  static StructuralSchema schema(Class<? extends HasMetadata> kind) {
    return StructuralSchema.of(committed(kind), TcpHealthPolicy.VERSION);
  }

  static JsonNode yaml(Path file) {
    try {
      return CommittedCrd.YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read YAML " + file, e);
    }
  }

  /** The object as JSON, exactly as the fabric8 client would send it. */
  static JsonNode json(HasMetadata resource) {
    try {
      return CommittedCrd.YAML.readTree(SERIALIZATION.asJson(resource));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
