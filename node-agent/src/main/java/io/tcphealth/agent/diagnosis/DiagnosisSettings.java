package io.tcphealth.agent.diagnosis;

import java.util.List;

/**
 * What diagnosis is asked to look at.
 *
 * @param thresholds when symptoms become warnings
 * @param ports      ports of special interest: each gets a {@link FindingType#PortOccupied} answer
 */
public record DiagnosisSettings(Thresholds thresholds, List<Integer> ports) {

    public DiagnosisSettings {
        ports = List.copyOf(ports);
        for (int p : ports) {
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("Port " + p + " is outside 1-65535");
            }
        }
    }

    public static DiagnosisSettings defaults() {
        return new DiagnosisSettings(Thresholds.DEFAULTS, List.of());
    }
}
