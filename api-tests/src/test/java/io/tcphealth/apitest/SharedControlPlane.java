package io.tcphealth.apitest;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tcphealth.testsupport.ProjectFiles;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One control plane for the whole test run, with the committed CRDs installed and Established, started on first
 * use and stopped (its directory removed) when the JVM exits. Tests that stop the API server make their own.
 */
final class SharedControlPlane {

    static final List<String> CRDS = List.of("tcphealthpolicies.tcphealth.io", "tcphealthnodes.tcphealth.io");

    private static ControlPlane plane;
    private static InstalledChart chart;

    private SharedControlPlane() {}

    static synchronized ControlPlane get() {
        if (plane == null) {
            ControlPlane started = ControlPlane.start(ControlPlaneBinaries.locate(), "shared");
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "stop-shared-control-plane"));
            installCrds(started);
            plane = started;
        }
        return plane;
    }

    /** The chart installed with its defaults, once for the run. */
    static synchronized InstalledChart chart() {
        if (chart == null) {
            chart = InstalledChart.install(get(), java.util.Map.of());
        }
        return chart;
    }

    /** Applies the chart's CRDs (what {@code helm install} creates) and waits until the server serves them. */
    static void installCrds(ControlPlane plane) {
        plane.kubectl()
                .ok(
                        "apply",
                        "--server-side",
                        "-f",
                        ProjectFiles.file("charts/tcphealth/crds").toString());
        KubernetesClient admin = plane.admin();
        for (String name : CRDS) {
            admin.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .withName(name)
                    .waitUntilCondition(SharedControlPlane::established, 60, TimeUnit.SECONDS);
        }
        // Discovery in kubectl and the client catches up a moment after the condition.
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> plane.kubectl().run("get", "tcphealth").exit() == 0
                        && plane.kubectl().run("get", "thn").exit() == 0);
    }

    static boolean established(CustomResourceDefinition crd) {
        return crd != null
                && crd.getStatus() != null
                && crd.getStatus().getConditions() != null
                && crd.getStatus().getConditions().stream()
                        .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
