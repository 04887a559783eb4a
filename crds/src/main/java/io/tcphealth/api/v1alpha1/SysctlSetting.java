package io.tcphealth.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import java.util.Objects;

/** One sysctl the agent should hold on its node. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SysctlSetting {

    @JsonPropertyDescription("Kernel key, e.g. net.ipv4.tcp_keepalive_time.")
    @Pattern("^net\\.ipv4\\.tcp_[a-z0-9_]+$")
    private String name;

    @JsonPropertyDescription("Value to hold.")
    private Long value;

    @JsonPropertyDescription("Name of the TcpHealthPolicy the value came from.")
    private String source;

    public SysctlSetting() {}

    public SysctlSetting(String name, Long value, String source) {
        this.name = name;
        this.value = value;
        this.source = source;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public Long getValue() {
        return value;
    }

    public void setValue(Long value) {
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
        if (!(o instanceof SysctlSetting that)) {
            return false;
        }
        return Objects.equals(name, that.name)
                && Objects.equals(value, that.value)
                && Objects.equals(source, that.source);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, value, source);
    }

    @Override
    public String toString() {
        return "SysctlSetting{" + "name=" + name + ", value=" + value + ", source=" + source + "}";
    }
}
