package io.tcphealth.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** An effective value and the policy it came from. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Sourced<T> {

    @JsonPropertyDescription("The effective value.")
    private T value;

    @JsonPropertyDescription("Name of the TcpHealthPolicy the value came from.")
    private String source;

    public Sourced() {}

    public Sourced(T value, String source) {
        this.value = value;
        this.source = source;
    }

    public T getValue() {
        return value;
    }

    public void setValue(T value) {
        this.value = value;
    }

    public String getSource() {
        return source;
    }

    public void setSource(String source) {
        this.source = source;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Sourced<?> that)) {
            return false;
        }
        return Objects.equals(value, that.value) && Objects.equals(source, that.source);
    }

    @Override
    public int hashCode() {
        return Objects.hash(value, source);
    }

    @Override
    public String toString() {
        return "Sourced{" + "value=" + value + ", source=" + source + "}";
    }
}
