package io.tcphealth.agent.proc;

/**
 * Finds the container and pod a process belongs to from {@code /proc/<pid>/cgroup}.
 *
 * <p>Each line is {@code hierarchy-id:controllers:path}; cgroup v2 has the single line
 * {@code 0::/path}, v1 one line per hierarchy. The path names the container in one of these
 * layouts (kubelet's "systemd" cgroup driver writes slices and scopes, its "cgroupfs" driver plain
 * directories):
 * <pre>
 * /kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1a2b_3c4d.slice/cri-containerd-ID.scope
 * /kubepods.slice/kubepods-pod1a2b_3c4d.slice/crio-ID.scope
 * /kubepods/burstable/pod1a2b-3c4d/ID                      (cgroupfs, runtime not named)
 * /kubepods/besteffort/pod1a2b-3c4d/crio-ID                (cgroupfs, CRI-O)
 * /system.slice/docker-ID.scope   /docker/ID               (plain Docker)
 * /machine.slice/libpod-ID.scope[/container]               (Podman, systemd; rootless under user@UID.service)
 * /machine.slice/machine-libpod_pod_POD.slice/libpod-ID.scope (a Podman pod)
 * /libpod_parent/libpod-ID   .../libpod-payload-ID          (Podman, cgroupfs; split cgroups)
 * /system.slice/nerdctl-ID.scope   /k8s.io/ID   /default/ID  (containerd without Kubernetes: nerdctl, ctr)
 * /docker/NODE/kubelet.slice/kubelet-kubepods.slice/...-pod1a2b_3c4d.slice/cri-containerd-ID.scope (kind)
 * </pre>
 * systemd slice names cannot hold dashes inside a unit component (a dash means nesting), so kubelet
 * writes the pod UID with underscores; they are turned back into dashes here.
 *
 * <p>When containers nest (a kind node is itself a Docker container), the innermost id wins: that
 * is the container the process runs in. {@code crio-conmon-ID} is CRI-O's monitor process, which
 * runs beside the container, not in it, and so is Podman's {@code libpod-conmon-ID}.
 */
public final class CgroupParser {
    private static final int ID_LENGTH = 64;

    private CgroupParser() {}

    /**
     * @param file for error messages
     * @return the container, or null for a host process (and for one whose cgroup namespace hides
     *         the path: {@code 0::/} tells nothing)
     * @throws ProcParseException for a line that is not {@code id:controllers:path}
     */
    public static ContainerRef parse(String file, String text) throws ProcParseException {
        ContainerRef found = null;
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            int first = line.indexOf(':');
            int second = first < 0 ? -1 : line.indexOf(':', first + 1);
            if (first <= 0 || second < 0 || ProcNumbers.decimal(line, 0, first) < 0) {
                throw new ProcParseException(file, lineNo, line, "expected hierarchy-id:controllers:path");
            }
            String path = line.substring(second + 1);
            if (!path.startsWith("/")) {
                throw new ProcParseException(file, lineNo, line, "cgroup path must start with /");
            }
            ContainerRef ref = fromPath(path);
            if (ref != null && (found == null || found.containerId().isEmpty())) {
                found = ref;
            }
        }
        return found;
    }

    /** The container named by one cgroup path, or null. */
    public static ContainerRef fromPath(String path) {
        String runtime = null;
        String id = null;
        String podUid = null;
        String parent = "";
        for (String segment : path.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            String pod = podUid(segment);
            if (pod != null) {
                podUid = pod;
            }
            String[] container = container(segment, parent);
            if (container != null) {
                runtime = container[0];
                id = container[1];
            }
            parent = segment;
        }
        if (id == null) {
            return podUid == null ? null : new ContainerRef("unknown", "", podUid);
        }
        return new ContainerRef(runtime, id, podUid);
    }

    /** {runtime, id} when the segment names a container. */
    private static String[] container(String segment, String parent) {
        boolean scope = segment.endsWith(".scope");
        String s = scope ? segment.substring(0, segment.length() - ".scope".length()) : segment;
        if (s.startsWith("crio-conmon-") || s.startsWith("libpod-conmon-")) {
            return null;
        }
        String[][] prefixes = {
            {"cri-containerd-", "containerd"},
            {"crio-", "cri-o"},
            {"docker-", "docker"},
            {"libpod-payload-", "podman"},
            {"libpod-", "podman"},
            {"nerdctl-", "containerd"}
        };
        for (String[] p : prefixes) {
            if (s.startsWith(p[0]) && isContainerId(s, p[0].length())) {
                return new String[] {p[1], s.substring(p[0].length())};
            }
        }
        if (!scope && isContainerId(s, 0)) {
            // cgroupfs layouts name no runtime, except plain Docker's /docker/ID.
            String runtime = switch (parent) {
                case "docker" -> "docker";
                // containerd's cgroupfs layout names its namespace: k8s.io for the CRI, default for ctr and nerdctl
                case "k8s.io", "default", "moby" -> "containerd";
                default -> "unknown";
            };
            return new String[] {runtime, s};
        }
        return null;
    }

    /**
     * The pod UID of {@code pod<uid>} (cgroupfs) or {@code kubepods[-qos]-pod<uid_with_underscores>.slice}
     * (systemd), dashes restored. Static pods' UIDs are 32 hex digits without dashes.
     */
    private static String podUid(String segment) {
        String s = segment;
        if (s.contains("kubepods") && s.endsWith(".slice")) {
            int pod = s.lastIndexOf("-pod");
            if (pod < 0) {
                return null;
            }
            s = s.substring(pod + "-pod".length(), s.length() - ".slice".length())
                    .replace('_', '-');
        } else if (s.startsWith("pod")) {
            s = s.substring("pod".length());
        } else {
            return null;
        }
        if (s.length() < 32 || s.length() > 36) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c == '-' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return null;
            }
        }
        return s;
    }

    private static boolean isContainerId(String s, int from) {
        if (s.length() - from != ID_LENGTH) {
            return false;
        }
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
