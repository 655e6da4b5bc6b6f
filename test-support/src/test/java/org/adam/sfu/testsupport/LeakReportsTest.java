package org.adam.sfu.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class LeakReportsTest {

    @Test
    void findsTheDetectorsReportLinesInAProcessOutput() {
        List<String> output = List.of(
                "01:00:00.000 INFO  o.a.s.n.Main - node up",
                "01:00:01.000 ERROR i.n.u.ResourceLeakDetector - LEAK: ByteBuf.release() was not called before it's "
                        + "garbage-collected.",
                "Recent access records:",
                "01:00:02.000 INFO  o.a.s.n.Main - node shutting down");
        assertThat(LeakReports.in(output)).singleElement().asString().contains("ResourceLeakDetector - LEAK:");
        assertThat(LeakReports.in(List.of("no leak here", "LEAKY bucket"))).isEmpty();
    }
}
