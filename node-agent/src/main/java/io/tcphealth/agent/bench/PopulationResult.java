package io.tcphealth.agent.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What {@code bench populations} measured.
 *
 * @param hostFds   open fds on the whole machine at the start: ss and netstat read every one of them
 * @param netstat   why netstat was not measured, or null
 * @param startup   java -version against an idle diagnose
 * @param rows      one per population, in the order measured
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PopulationResult(
        String kernel,
        int cpus,
        String java,
        double loadBefore,
        double loadAfter,
        String diagnose,
        long hostFds,
        String netstat,
        Startup startup,
        List<Row> rows) {

    public record Startup(Figure javaVersion, Figure idleDiagnose) {
        public double ratio() {
            return idleDiagnose.medianMillis() / javaVersion.medianMillis();
        }
    }

    /**
     * @param holders    processes that hold the population's sockets (the CLOSE_WAIT helper included)
     * @param impossible why this population could not be made here, or null
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Row(
            int sockets,
            String shape,
            int holders,
            Figure diagnose,
            Figure ssTanp,
            Figure netstatTanp,
            String impossible) {}
}
