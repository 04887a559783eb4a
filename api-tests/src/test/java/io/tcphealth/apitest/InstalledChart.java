package io.tcphealth.apitest;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.tcphealth.testsupport.ProjectFiles;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The chart as {@code helm template} renders it (CRDs apart: they are installed first, as Helm does), applied to
 * the server with the real kubectl as the admin: namespaces with their Pod Security labels, both service
 * accounts and their RBAC, the admission policy and its binding, the operator's Deployment.
 */
final class InstalledChart {

    static final String RELEASE = "tcphealth";
    static final String OPERATOR_NAMESPACE = "tcphealth-system";
    static final String AGENT_NAMESPACE = "tcphealth-agents";
    static final String OPERATOR_ACCOUNT = "tcphealth-operator";
    static final String AGENT_ACCOUNT = "tcphealth-agent";

    private final String text;
    private final List<HasMetadata> objects;

    private InstalledChart(String text, List<HasMetadata> objects) {
        this.text = text;
        this.objects = objects;
    }

    static String render(ControlPlane plane, Map<String, Object> sets) {
        TemplateCommand command = new Helm(ProjectFiles.file("charts/tcphealth"))
                .template()
                .withName(RELEASE)
                .withNamespace(OPERATOR_NAMESPACE)
                .withKubeVersion(plane.binaries().kubernetesVersion())
                .skipCrds();
        for (Map.Entry<String, Object> set : sets.entrySet()) {
            command = command.set(set.getKey(), set.getValue());
        }
        return command.call();
    }

    static InstalledChart install(ControlPlane plane, Map<String, Object> sets) {
        String text = render(plane, sets);
        plane.kubectl().withInput(text, "apply", "-f", "-").orFail("kubectl apply of the rendered chart");
        List<HasMetadata> objects = plane.admin()
                .load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)))
                .items();
        return new InstalledChart(text, objects);
    }

    String text() {
        return text;
    }

    List<HasMetadata> objects() {
        return objects;
    }

    <T extends HasMetadata> T get(Class<T> type, String name) {
        return objects.stream()
                .filter(type::isInstance)
                .map(type::cast)
                .filter(o -> name.equals(o.getMetadata().getName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("The chart renders no " + type.getSimpleName() + " " + name));
    }

    Deployment operatorDeployment() {
        return get(Deployment.class, "tcphealth-operator");
    }
}
