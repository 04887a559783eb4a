package io.tcphealth.operator.config;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.tcphealth.api.v1alpha1.GoDuration;
import io.tcphealth.operator.agent.AgentSettings;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * The operator's flags. Each also reads an environment variable (named in its description), so the
 * Deployment can configure the operator either way; a flag wins over the variable.
 */
public final class OperatorOptions {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    private static final Set<String> PULL_POLICIES = Set.of("Always", "IfNotPresent", "Never");
    private static final Set<String> TAINT_EFFECTS = Set.of("NoSchedule", "PreferNoSchedule", "NoExecute");

    @Option(
            names = "--namespace",
            defaultValue = "${env:TCPHEALTH_NAMESPACE:-${env:POD_NAMESPACE}}",
            description =
                    "Namespace of the operator and the agent DaemonSet (env TCPHEALTH_NAMESPACE, then POD_NAMESPACE).")
    String namespace;

    @Option(
            names = "--agent-image",
            defaultValue = "${env:TCPHEALTH_AGENT_IMAGE}",
            description = "Agent container image (env TCPHEALTH_AGENT_IMAGE). Required.")
    String agentImage;

    @Option(
            names = "--agent-pull-policy",
            defaultValue = "${env:TCPHEALTH_AGENT_PULL_POLICY:-IfNotPresent}",
            description = "Always, IfNotPresent or Never (env TCPHEALTH_AGENT_PULL_POLICY).")
    String agentPullPolicy;

    @Option(
            names = "--agent-args",
            defaultValue = "${env:TCPHEALTH_AGENT_ARGS:-run}",
            description = "Agent container arguments, separated by spaces (env TCPHEALTH_AGENT_ARGS).")
    String agentArgs;

    @Option(
            names = "--agent-java-options",
            defaultValue = "${env:TCPHEALTH_AGENT_JAVA_OPTIONS:-}",
            description =
                    "JVM options added to the agent image's own, such as -Xmx48m (env TCPHEALTH_AGENT_JAVA_OPTIONS); "
                            + "the agent container gets them as JDK_JAVA_OPTIONS. Empty: the image's flags alone.")
    String agentJavaOptions;

    @Option(
            names = "--agent-service-account",
            defaultValue = "${env:TCPHEALTH_AGENT_SERVICE_ACCOUNT:-tcphealth-agent}",
            description = "Service account of the agent pods (env TCPHEALTH_AGENT_SERVICE_ACCOUNT).")
    String agentServiceAccount;

    @Option(
            names = "--agent-cpu-request",
            defaultValue = "${env:TCPHEALTH_AGENT_CPU_REQUEST:-50m}",
            description = "Agent CPU request (env TCPHEALTH_AGENT_CPU_REQUEST).")
    String agentCpuRequest;

    @Option(
            names = "--agent-cpu-limit",
            defaultValue = "${env:TCPHEALTH_AGENT_CPU_LIMIT:-1}",
            description = "Agent CPU limit (env TCPHEALTH_AGENT_CPU_LIMIT).")
    String agentCpuLimit;

    @Option(
            names = "--agent-memory-request",
            defaultValue = "${env:TCPHEALTH_AGENT_MEMORY_REQUEST:-192Mi}",
            description = "Agent memory request (env TCPHEALTH_AGENT_MEMORY_REQUEST).")
    String agentMemoryRequest;

    @Option(
            names = "--agent-memory-limit",
            defaultValue = "${env:TCPHEALTH_AGENT_MEMORY_LIMIT:-384Mi}",
            description = "Agent memory limit (env TCPHEALTH_AGENT_MEMORY_LIMIT).")
    String agentMemoryLimit;

    @Option(
            names = "--agent-tolerations",
            defaultValue = "${env:TCPHEALTH_AGENT_TOLERATIONS:-}",
            description = "Taints the agent tolerates, comma-separated: key=value:Effect, key:Effect, key "
                    + "(any value, any effect) or * (every taint) (env TCPHEALTH_AGENT_TOLERATIONS).")
    String agentTolerations;

    @Option(
            names = "--agent-priority-class",
            defaultValue = "${env:TCPHEALTH_AGENT_PRIORITY_CLASS:-}",
            description = "Priority class of the agent pods; empty for none (env TCPHEALTH_AGENT_PRIORITY_CLASS).")
    String agentPriorityClass;

    @Option(
            names = "--agent-metrics-port",
            defaultValue = "${env:TCPHEALTH_AGENT_METRICS_PORT:-9464}",
            description =
                    "Port of the agent's /metrics and probes, on the host network (env TCPHEALTH_AGENT_METRICS_PORT).")
    String agentMetricsPort;

    @Option(
            names = "--agent-journal-dir",
            defaultValue = "${env:TCPHEALTH_AGENT_JOURNAL_DIR:-/var/lib/tcphealth/journal}",
            description = "Host directory of the agent's journal of original values (env TCPHEALTH_AGENT_JOURNAL_DIR).")
    String agentJournalDir;

    @Option(
            names = "--agent-heartbeat",
            defaultValue = "${env:TCPHEALTH_AGENT_HEARTBEAT:-5m}",
            description =
                    "How often an agent with nothing new still writes its status (env TCPHEALTH_AGENT_HEARTBEAT).")
    String agentHeartbeat;

    @Option(
            names = "--metrics-port",
            defaultValue = "${env:TCPHEALTH_METRICS_PORT:-8080}",
            description = "Port of the operator's /metrics; 0 turns it off (env TCPHEALTH_METRICS_PORT).")
    String metricsPort;

    @Option(
            names = "--leader-election",
            defaultValue = "${env:TCPHEALTH_LEADER_ELECTION:-true}",
            description = "Elect a leader through a Lease before reconciling (env TCPHEALTH_LEADER_ELECTION).")
    String leaderElection;

    @Option(
            names = "--lease-name",
            defaultValue = "${env:TCPHEALTH_LEASE_NAME:-tcphealth-operator}",
            description = "Name of the leader election Lease (env TCPHEALTH_LEASE_NAME).")
    String leaseName;

    @Option(
            names = "--status-min-interval",
            defaultValue = "${env:TCPHEALTH_STATUS_MIN_INTERVAL:-10s}",
            description = "Least time between two status writes of one policy (env TCPHEALTH_STATUS_MIN_INTERVAL).")
    String statusMinInterval;

    @Option(
            names = "--restore-timeout",
            defaultValue = "${env:TCPHEALTH_RESTORE_TIMEOUT:-5m}",
            description =
                    "How long a deleted policy waits for agents to restore what it changed (env TCPHEALTH_RESTORE_TIMEOUT).")
    String restoreTimeout;

    @Option(
            names = "--stale-grace",
            defaultValue = "${env:TCPHEALTH_STALE_GRACE:-1m}",
            description = "Slack before a silent node counts as stale (env TCPHEALTH_STALE_GRACE).")
    String staleGrace;

    @Option(
            names = "--event-namespace",
            defaultValue = "${env:TCPHEALTH_EVENT_NAMESPACE:-default}",
            description =
                    "Namespace of the Events about policies, which are cluster-scoped (env TCPHEALTH_EVENT_NAMESPACE).")
    String eventNamespace;

    /**
     * Checks every option and builds the settings.
     *
     * @throws InvalidSettingsException listing every problem found, each naming its flag and variable
     */
    public OperatorSettings toSettings() {
        List<String> problems = new ArrayList<>();
        if (blank(namespace)) {
            problems.add("--namespace (TCPHEALTH_NAMESPACE or POD_NAMESPACE): required");
        } else if (!DNS_LABEL.matcher(namespace).matches()) {
            problems.add("--namespace: '" + namespace + "' is not a namespace name (lower-case DNS label)");
        }
        if (blank(agentImage)) {
            problems.add(
                    "--agent-image (TCPHEALTH_AGENT_IMAGE): required, for example ghcr.io/example/tcphealth-agent:0.1.0");
        } else if (agentImage.chars().anyMatch(Character::isWhitespace)) {
            problems.add("--agent-image: '" + agentImage + "' contains white space");
        }
        if (!PULL_POLICIES.contains(agentPullPolicy)) {
            problems.add("--agent-pull-policy: '" + agentPullPolicy + "' is not one of Always, IfNotPresent, Never");
        }
        if (blank(agentServiceAccount)
                || !DNS_SUBDOMAIN.matcher(agentServiceAccount).matches()) {
            problems.add("--agent-service-account: '" + agentServiceAccount + "' is not a service account name");
        }
        Quantity cpuRequest = quantity("--agent-cpu-request", agentCpuRequest, problems);
        Quantity cpuLimit = quantity("--agent-cpu-limit", agentCpuLimit, problems);
        Quantity memoryRequest = quantity("--agent-memory-request", agentMemoryRequest, problems);
        Quantity memoryLimit = quantity("--agent-memory-limit", agentMemoryLimit, problems);
        requestWithinLimit("cpu", cpuRequest, cpuLimit, problems);
        requestWithinLimit("memory", memoryRequest, memoryLimit, problems);
        List<Toleration> tolerations = tolerations(problems);
        if (!blank(agentPriorityClass)
                && !DNS_SUBDOMAIN.matcher(agentPriorityClass).matches()) {
            problems.add("--agent-priority-class: '" + agentPriorityClass + "' is not a priority class name");
        }
        int agentPort = port("--agent-metrics-port", agentMetricsPort, 1, problems);
        if (blank(agentJournalDir) || !agentJournalDir.startsWith("/") || agentJournalDir.contains("..")) {
            problems.add("--agent-journal-dir: '" + agentJournalDir + "' must be an absolute host path without '..'");
        }
        Duration heartbeat = duration("--agent-heartbeat", agentHeartbeat, Duration.ofSeconds(10), problems);
        int operatorPort = port("--metrics-port", metricsPort, 0, problems);
        boolean elect = bool("--leader-election", leaderElection, problems);
        if (blank(leaseName) || !DNS_SUBDOMAIN.matcher(leaseName).matches()) {
            problems.add("--lease-name: '" + leaseName + "' is not a Lease name");
        }
        Duration statusInterval = duration("--status-min-interval", statusMinInterval, Duration.ZERO, problems);
        Duration restore = duration("--restore-timeout", restoreTimeout, Duration.ZERO, problems);
        Duration grace = duration("--stale-grace", staleGrace, Duration.ZERO, problems);
        if (blank(eventNamespace) || !DNS_LABEL.matcher(eventNamespace).matches()) {
            problems.add("--event-namespace: '" + eventNamespace + "' is not a namespace name");
        }
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
        ResourceRequirements resources = new ResourceRequirementsBuilder()
                .withRequests(Map.of("cpu", cpuRequest, "memory", memoryRequest))
                .withLimits(Map.of("cpu", cpuLimit, "memory", memoryLimit))
                .build();
        AgentSettings agent = new AgentSettings(
                namespace,
                agentImage,
                agentPullPolicy,
                Arrays.stream(agentArgs.trim().split("\\s+"))
                        .filter(a -> !a.isEmpty())
                        .toList(),
                agentServiceAccount,
                resources,
                tolerations,
                blank(agentPriorityClass) ? null : agentPriorityClass,
                agentPort,
                agentJournalDir,
                heartbeat,
                eventNamespace,
                blank(agentJavaOptions) ? null : agentJavaOptions.trim());
        return new OperatorSettings(
                agent, operatorPort, elect, leaseName, statusInterval, restore, grace, eventNamespace);
    }

    private List<Toleration> tolerations(List<String> problems) {
        List<Toleration> out = new ArrayList<>();
        if (blank(agentTolerations)) {
            return out;
        }
        for (String raw : agentTolerations.split(",")) {
            String text = raw.trim();
            if (text.isEmpty()) {
                continue;
            }
            if (text.equals("*")) {
                out.add(new Toleration(null, null, "Exists", null, null));
                continue;
            }
            String effect = null;
            int colon = text.lastIndexOf(':');
            if (colon >= 0) {
                effect = text.substring(colon + 1);
                text = text.substring(0, colon);
                if (!TAINT_EFFECTS.contains(effect)) {
                    problems.add("--agent-tolerations: '" + raw.trim() + "' has effect '" + effect
                            + "', not one of NoSchedule, PreferNoSchedule, NoExecute");
                    continue;
                }
            }
            int equals = text.indexOf('=');
            String key = equals >= 0 ? text.substring(0, equals) : text;
            if (key.isEmpty()) {
                problems.add("--agent-tolerations: '" + raw.trim() + "' has no taint key");
                continue;
            }
            out.add(
                    equals >= 0
                            ? new Toleration(effect, key, "Equal", null, text.substring(equals + 1))
                            : new Toleration(effect, key, "Exists", null, null));
        }
        return out;
    }

    private static Quantity quantity(String flag, String text, List<String> problems) {
        try {
            Quantity quantity = Quantity.parse(text);
            if (Quantity.getAmountInBytes(quantity).compareTo(BigDecimal.ZERO) <= 0) {
                problems.add(flag + ": '" + text + "' must be more than zero");
            }
            return quantity;
        } catch (RuntimeException e) {
            problems.add(flag + ": '" + text + "' is not a quantity such as 100m, 1, 128Mi");
            return null;
        }
    }

    private static void requestWithinLimit(String what, Quantity request, Quantity limit, List<String> problems) {
        if (request != null
                && limit != null
                && Quantity.getAmountInBytes(request).compareTo(Quantity.getAmountInBytes(limit)) > 0) {
            problems.add("agent " + what + " request " + request + " is above its limit " + limit);
        }
    }

    private static int port(String flag, String text, int lowest, List<String> problems) {
        try {
            int port = Integer.parseInt(text.trim());
            if (port >= lowest && port <= 65535) {
                return port;
            }
        } catch (RuntimeException e) {
            // reported below
        }
        problems.add(flag + ": '" + text + "' is not a port between " + lowest + " and 65535");
        return -1;
    }

    private static Duration duration(String flag, String text, Duration least, List<String> problems) {
        try {
            Duration duration = GoDuration.parse(text == null ? null : text.trim());
            if (duration.compareTo(least) >= 0) {
                return duration;
            }
            problems.add(flag + ": '" + text + "' is shorter than " + least.toSeconds() + "s");
        } catch (IllegalArgumentException e) {
            problems.add(flag + ": '" + text + "' is not a duration such as 30s, 5m or 1h");
        }
        return Duration.ZERO;
    }

    private static boolean bool(String flag, String text, List<String> problems) {
        if ("true".equalsIgnoreCase(text)) {
            return true;
        }
        if (!"false".equalsIgnoreCase(text)) {
            problems.add(flag + ": '" + text + "' is neither true nor false");
        }
        return false;
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
