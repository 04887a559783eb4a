package io.tcphealth.agent.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CgroupParserTest {
    private static final String ID = "3f4e5d6c7b8a99887766554433221100ffeeddccbbaa99887766554433221100";
    private static final String POD = "1234abcd-5678-9abc-def0-123456789abc";

    private static ContainerRef parseFixture(String name) throws Exception {
        String text = Files.readString(Path.of(
                CgroupParserTest.class.getResource("/proc/cgroup/" + name).toURI()));
        return CgroupParser.parse(name, text);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "v2-systemd-containerd.txt,   containerd, true",
        "v2-systemd-crio.txt,         cri-o,      true",
        "v2-systemd-docker-kubelet.txt, docker,   true",
        "v2-docker.txt,               docker,     false",
        "v2-kind-nested.txt,          containerd, true",
        "v1-cgroupfs-kubepods.txt,    unknown,    true",
        "v1-cgroupfs-guaranteed.txt,  unknown,    true",
        "v1-cgroupfs-crio.txt,        cri-o,      true",
        "v1-docker.txt,               docker,     false",
        "v1-podman-cgroupfs.txt,      podman,     false",
        "v2-podman-systemd.txt,       podman,     false",
        "v2-podman-rootless.txt,      podman,     false",
        "v2-podman-pod.txt,           podman,     false",
        "v2-podman-payload.txt,       podman,     false",
        "v2-systemd-docker.txt,       docker,     false",
        "v2-nerdctl.txt,              containerd, false",
        "v2-containerd-cgroupfs.txt,  containerd, false",
        "v1-systemd-containerd-kubepods.txt, containerd, true",
    })
    void findsContainerAndPod(String fixture, String runtime, boolean inPod) throws Exception {
        ContainerRef ref = parseFixture(fixture);
        assertThat(ref).isEqualTo(new ContainerRef(runtime, ID, inPod ? POD : null));
        assertThat(ref.shortId()).isEqualTo("3f4e5d6c7b8a");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"v2-host.txt", "v1-host.txt", "v2-root.txt", "v2-systemd-crio-conmon.txt", "v2-podman-conmon.txt"})
    void hostProcessesAndRuntimeMonitorsHaveNoContainer(String fixture) throws Exception {
        if (fixture.contains("crio-conmon")) {
            // conmon runs in the pod's slice but beside the container: the pod, no container.
            assertThat(parseFixture(fixture)).isEqualTo(new ContainerRef("unknown", "", POD));
        } else {
            assertThat(parseFixture(fixture)).isNull();
        }
    }

    @Test
    void staticPodUidWithoutDashes() {
        String uid = "0123456789abcdef0123456789abcdef";
        assertThat(CgroupParser.fromPath(
                        "/kubepods.slice/kubepods-pod" + uid + ".slice/cri-containerd-" + ID + ".scope"))
                .isEqualTo(new ContainerRef("containerd", ID, uid));
    }

    @Test
    void processInsideTheContainerCgroupTree() {
        assertThat(CgroupParser.fromPath("/system.slice/docker-" + ID + ".scope/system.slice/nginx.service"))
                .isEqualTo(new ContainerRef("docker", ID, null));
    }

    @Test
    void notQuiteContainerIdsAreIgnored() {
        assertThat(CgroupParser.fromPath("/system.slice/docker-" + ID.substring(1) + ".scope"))
                .isNull();
        assertThat(CgroupParser.fromPath("/system.slice/docker-" + ID.toUpperCase() + ".scope"))
                .isNull();
        assertThat(CgroupParser.fromPath("/kubepods/burstable/podnot-a-uid/" + ID))
                .isEqualTo(new ContainerRef("unknown", ID, null));
    }

    @Test
    void malformedLinesNameFileAndLine() {
        assertThatThrownBy(() -> CgroupParser.parse("/proc/5/cgroup", "0::/\ngarbage\n"))
                .isInstanceOf(ProcParseException.class)
                .hasMessageContaining("/proc/5/cgroup line 2")
                .hasMessageContaining("garbage");
        assertThatThrownBy(() -> CgroupParser.parse("c", "x::/a\n")).isInstanceOf(ProcParseException.class);
        assertThatThrownBy(() -> CgroupParser.parse("c", "0::relative\n")).hasMessageContaining("must start with /");
        assertThat(catchEmpty()).isNull();
    }

    private static ContainerRef catchEmpty() {
        try {
            return CgroupParser.parse("c", "");
        } catch (ProcParseException e) {
            throw new AssertionError(e);
        }
    }
}
