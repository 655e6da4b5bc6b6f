package org.adam.sfu.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarkReportTest {

    private static final String RESULTS = """
            {"commit":"abc123","jdk":"17.0.15","machine":"2 cores","command":"scripts/bench-sfu.sh",
             "runs":[
              {"scenario":"fan-out","sfu":"ours","subscribers":10,"forwardedStreams":20,"nodeCpuSeconds":2.0,
               "durationSeconds":10,"forwardedPacketsPerSecond":2000,"forwardedMbps":16,"loss":0.001,
               "latencyP50Ms":0.4,"latencyP99Ms":1.5,"latencyMaxMs":4},
              {"scenario":"fan-out","sfu":"janus","subscribers":10,"forwardedStreams":20,"nodeCpuSeconds":4.0,
               "durationSeconds":10,"forwardedPacketsPerSecond":2000,"forwardedMbps":16,"loss":0.002,
               "latencyP50Ms":0.6,"latencyP99Ms":2.5,"latencyMaxMs":6},
              {"scenario":"many-rooms","sfu":"ours","subscribers":100,"forwardedStreams":200,"nodeCpuSeconds":5.0,
               "durationSeconds":10,"forwardedPacketsPerSecond":9000,"forwardedMbps":70,"loss":0,
               "latencyP50Ms":0.5,"latencyP99Ms":3,"latencyMaxMs":9}
             ]}""";

    @Test
    void writesOneTablePerScenarioWithTheRatioAndThePlots(@TempDir Path dir) throws Exception {
        Path results = dir.resolve("benchmarks/results.json");
        Files.createDirectories(results.getParent());
        Files.writeString(results, RESULTS);
        Path markdown = dir.resolve("benchmarks.md");
        Files.writeString(markdown, "# Benchmarks\n\nintro\n\n" + BenchmarkReport.BEGIN + "\nold\n"
                + BenchmarkReport.END + "\n\nafter\n");

        BenchmarkReport.main(new String[] {results.toString(), markdown.toString()});

        String written = Files.readString(markdown);
        assertThat(written).contains("intro").contains("after").doesNotContain("\nold\n");
        assertThat(written).contains("### fan-out").contains("### many-rooms").contains("abc123");
        // ours used 0.2 cores for 16 Mbit/s, janus 0.4: ratio 0.50; 2 s over 20,000 packets = 100 us each.
        assertThat(written).contains("| 0.50 |").contains("| 100.00 |");
        assertThat(written).contains("![fan-out-cpu-per-stream.png](benchmarks/fan-out-cpu-per-stream.png)");
        assertThat(Files.size(dir.resolve("benchmarks/fan-out-cpu-per-stream.png"))).isPositive();
        assertThat(Files.size(dir.resolve("benchmarks/fan-out-p99-latency.png"))).isPositive();
    }

    @Test
    void appendsTheMarkersWhenTheDocumentHasNone() {
        assertThat(BenchmarkReport.spliced("# doc\n", "table\n"))
                .isEqualTo("# doc\n\n" + BenchmarkReport.BEGIN + "\ntable\n" + BenchmarkReport.END + "\n");
    }
}
