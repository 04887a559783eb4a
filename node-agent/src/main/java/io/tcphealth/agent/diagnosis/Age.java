package io.tcphealth.agent.diagnosis;

import java.time.Duration;

/** How long something has lasted, and how that is known. */
public record Age(Duration duration, AgeBasis basis) {

    public static Age observed(Duration d) {
        return d == null ? null : new Age(d, AgeBasis.observed);
    }

    /** The longer of two ages (the first on a tie); either may be null. */
    public static Age longer(Age a, Age b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return b.duration.compareTo(a.duration) > 0 ? b : a;
    }

    /** "for 42m" when observed, "idle for at least 42m" when it is the kernel's lower bound. */
    public String text() {
        return basis == AgeBasis.kernelIdle
                ? "idle for at least " + Durations.human(duration)
                : "for " + Durations.human(duration);
    }
}
