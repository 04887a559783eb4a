package io.tcphealth.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** Something the agent did, or in DryRun would have done. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RemediationAction {

    @JsonPropertyDescription("When (RFC 3339).")
    private String time;

    @JsonPropertyDescription("SetSysctl, RestoreSysctl, KillSocket, FlushOrphans or SignalParent.")
    private ActionKind kind;

    @JsonPropertyDescription("What it was done to, e.g. a sysctl key, a socket 4-tuple or a pid.")
    private String target;

    @JsonPropertyDescription("Done, DryRun, Failed or Skipped.")
    private ActionResult result;

    @JsonPropertyDescription("Details in a sentence.")
    @Size(max = 1024)
    private String message;

    public String getTime() {
        return time;
    }

    public void setTime(String time) {
        this.time = time;
    }

    public ActionKind getKind() {
        return kind;
    }

    public void setKind(ActionKind kind) {
        this.kind = kind;
    }

    public String getTarget() {
        return target;
    }

    public void setTarget(String target) {
        this.target = target;
    }

    public ActionResult getResult() {
        return result;
    }

    public void setResult(ActionResult result) {
        this.result = result;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof RemediationAction that)) {
            return false;
        }
        return Objects.equals(time, that.time)
                && Objects.equals(kind, that.kind)
                && Objects.equals(target, that.target)
                && Objects.equals(result, that.result)
                && Objects.equals(message, that.message);
    }

    @Override
    public int hashCode() {
        return Objects.hash(time, kind, target, result, message);
    }

    @Override
    public String toString() {
        return "RemediationAction{"
                + "time=" + time
                + ", kind=" + kind
                + ", target=" + target
                + ", result=" + result
                + ", message=" + message
                + "}";
    }
}
