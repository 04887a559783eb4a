package io.tcphealth.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TerminalTextTest {
    @Test
    void controlAndInvisibleCharactersBecomeQuestionMarksAsPsShowsThem() {
        assertThat(TerminalText.escape("a\u001b[31mb\nc\td\u007fe\u0085f\u202eg"))
                .isEqualTo("a?[31mb?c?d?e?f?g");
    }

    @Test
    void printableTextIsLeftAlone() {
        String s = "nginx: worker — café 漢字";
        assertThat(TerminalText.escape(s)).isSameAs(s);
        assertThat(TerminalText.escape(null)).isNull();
    }
}
