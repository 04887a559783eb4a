package io.tcphealth.agent.proc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrivilegesTest {
    private static String status(String uid, String capEff) {
        return "Name:\tjava\nUid:\t" + uid + "\nGid:\t0\t0\t0\t0\nCapEff:\t" + capEff + "\n";
    }

    @Test
    void rootWithEveryCapability() {
        Privileges p = Privileges.parse(status("0\t0\t0\t0", "000001ffffffffff"));
        assertThat(p).isEqualTo(new Privileges(true, true));
        assertThat(p.fdHint()).doesNotContain("need root").contains("security module");
    }

    @Test
    void rootWithoutPtraceIsNotToldToBecomeRoot() {
        Privileges p = Privileges.parse(status("1000\t0\t0\t0", "00000000a80425fb"));
        assertThat(p).isEqualTo(new Privileges(true, false));
        assertThat(p.fdHint()).contains("running as root").contains("CAP_SYS_PTRACE");
        assertThat(p.hostNamespaceHint()).doesNotContain("Run it as root");
    }

    @Test
    void anOrdinaryUserIsToldWhatItNeeds() {
        Privileges p = Privileges.parse(status("1000\t1000\t1000\t1000", "0000000000000000"));
        assertThat(p).isEqualTo(new Privileges(false, false));
        assertThat(p.hostNamespaceHint()).contains("Run it as root");
    }
}
