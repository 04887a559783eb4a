package io.tcphealth.api.v1alpha1;

/** One reason the API server would reject an object, at a field path such as {@code spec.thresholds}. */
public record SchemaViolation(String path, String message) {

    @Override
    public String toString() {
        return path + ": " + message;
    }
}
