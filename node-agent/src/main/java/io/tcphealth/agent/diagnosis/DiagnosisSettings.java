package io.tcphealth.agent.diagnosis;

import java.util.List;

/**
 * What diagnosis is asked to look at.
 *
 * @param thresholds when symptoms become warnings
 * @param ports      ports of special interest: each gets a {@link FindingType#PortOccupied} answer
 * @param bind       the one listener someone means to start ({@code diagnose --bind}): its port's answer is
 *                   for exactly that address, family and options; null for the usual candidates
 */
public record DiagnosisSettings(DiagnosisThresholds thresholds, List<Integer> ports, BindRequest bind) {

    public DiagnosisSettings {
        ports = List.copyOf(ports);
        for (int p : ports) {
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("Port " + p + " is outside 1-65535");
            }
        }
        if (bind != null && !ports.contains(bind.port())) {
            throw new IllegalArgumentException(
                    "The port of the listener to bind, " + bind.port() + ", is not asked about");
        }
    }

    public DiagnosisSettings(DiagnosisThresholds thresholds, List<Integer> ports) {
        this(thresholds, ports, null);
    }

    public static DiagnosisSettings defaults() {
        return new DiagnosisSettings(DiagnosisThresholds.DEFAULTS, List.of());
    }
}
