package org.adam.sfu.testsupport;

import java.util.List;

/** Netty's leak reports in a process's output: the lines the detector starts with "LEAK:". */
public final class LeakReports {

    public static final String MARKER = "LEAK:";

    private LeakReports() {
    }

    /** The lines of {@code output} that report a leak. */
    public static List<String> in(List<String> output) {
        return output.stream().filter(line -> line.contains(MARKER)).toList();
    }
}
