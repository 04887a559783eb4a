package io.tcphealth.agent.diagnosis;

import java.util.List;

/** Finds one kind of trouble in a scan. Pure: everything it needs is in the view and settings. */
interface Detector {

    /**
     * @param earlier findings of the detectors that ran before this one, for detectors that
     *                explain other findings (such as sysctls that prolong them)
     */
    List<Finding> detect(ScanView view, DiagnosisSettings settings, List<Finding> earlier);
}
