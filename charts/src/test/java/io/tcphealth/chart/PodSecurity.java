package io.tcphealth.chart;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The checks of the Kubernetes Pod Security Standards that concern tcphealth's pods, on a pod spec as JSON.
 * {@link #baseline} and {@link #restricted} list what a pod breaks at each level; empty means admitted.
 */
final class PodSecurity {

    /** Capabilities baseline allows a container to add. */
    private static final Set<String> BASELINE_CAPABILITIES = Set.of(
            "AUDIT_WRITE",
            "CHOWN",
            "DAC_OVERRIDE",
            "FOWNER",
            "FSETID",
            "KILL",
            "MKNOD",
            "NET_BIND_SERVICE",
            "SETFCAP",
            "SETGID",
            "SETPCAP",
            "SETUID",
            "SYS_CHROOT");

    private PodSecurity() {}

    static List<String> baseline(JsonNode podSpec) {
        List<String> broken = new ArrayList<>();
        for (String host : List.of("hostNetwork", "hostPID", "hostIPC")) {
            if (podSpec.path(host).asBoolean(false)) {
                broken.add(host);
            }
        }
        for (JsonNode volume : podSpec.path("volumes")) {
            if (volume.has("hostPath")) {
                broken.add("hostPath volume " + volume.path("name").asText());
            }
        }
        for (JsonNode container : podSpec.path("containers")) {
            String name = container.path("name").asText();
            JsonNode context = container.path("securityContext");
            if (context.path("privileged").asBoolean(false)) {
                broken.add(name + ": privileged");
            }
            for (JsonNode added : context.path("capabilities").path("add")) {
                if (!BASELINE_CAPABILITIES.contains(added.asText())) {
                    broken.add(name + ": adds capability " + added.asText());
                }
            }
            for (JsonNode port : container.path("ports")) {
                if (port.has("hostPort") && port.path("hostPort").asInt() != 0) {
                    broken.add(name + ": hostPort");
                }
            }
        }
        return broken;
    }

    static List<String> restricted(JsonNode podSpec) {
        List<String> broken = new ArrayList<>(baseline(podSpec));
        JsonNode pod = podSpec.path("securityContext");
        for (JsonNode volume : podSpec.path("volumes")) {
            boolean allowed = volume.has("emptyDir")
                    || volume.has("configMap")
                    || volume.has("secret")
                    || volume.has("projected")
                    || volume.has("downwardAPI")
                    || volume.has("persistentVolumeClaim")
                    || volume.has("ephemeral")
                    || volume.has("csi");
            if (!allowed && !volume.has("hostPath")) {
                broken.add("volume type of " + volume.path("name").asText());
            }
        }
        for (JsonNode container : podSpec.path("containers")) {
            String name = container.path("name").asText();
            JsonNode context = container.path("securityContext");
            if (!context.path("allowPrivilegeEscalation").isBoolean()
                    || context.path("allowPrivilegeEscalation").asBoolean()) {
                broken.add(name + ": allowPrivilegeEscalation must be false");
            }
            boolean nonRoot = context.path("runAsNonRoot")
                    .asBoolean(pod.path("runAsNonRoot").asBoolean(false));
            if (!nonRoot
                    || context.path("runAsUser").asLong(pod.path("runAsUser").asLong(-1)) == 0) {
                broken.add(name + ": must run as non-root");
            }
            String seccomp = context.path("seccompProfile")
                    .path("type")
                    .asText(pod.path("seccompProfile").path("type").asText());
            if (!seccomp.equals("RuntimeDefault") && !seccomp.equals("Localhost")) {
                broken.add(name + ": seccompProfile must be RuntimeDefault or Localhost");
            }
            List<String> dropped = new ArrayList<>();
            context.path("capabilities").path("drop").forEach(c -> dropped.add(c.asText()));
            if (!dropped.contains("ALL")) {
                broken.add(name + ": must drop ALL capabilities");
            }
            for (JsonNode added : context.path("capabilities").path("add")) {
                if (!added.asText().equals("NET_BIND_SERVICE")) {
                    broken.add(name + ": restricted allows adding only NET_BIND_SERVICE, not " + added.asText());
                }
            }
        }
        return broken;
    }
}
