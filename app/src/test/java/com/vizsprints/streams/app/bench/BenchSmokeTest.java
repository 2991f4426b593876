package com.vizsprints.streams.app.bench;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The benchmark in a small configuration, so it cannot rot: every section is written and every
 * figure is a positive number. It asserts no speed (figures live in BENCHMARKS.md).
 */
@Tag("integration")
class BenchSmokeTest {

    @Test
    void smallBenchmarkWritesEveryFigure(@TempDir Path work) throws Exception {
        Path out = work.resolve("BENCHMARKS.md");
        ByteArrayOutputStream log = new ByteArrayOutputStream();

        int status = BenchCommand.run(new String[]{"--users", "1500", "--runs", "1", "--query-seconds", "2", "--clients", "4",
                "--probes", "5", "--steady-rate", "1500", "--streams", "100", "--out", out.toString(), "--work", work.resolve("w").toString()},
                new PrintStream(log, true));

        assertEquals(0, status, log.toString());
        String md = Files.readString(out);
        for (String section : List.of("## Machine and settings", "### Replay throughput", "### Processing throughput",
                "### Memory and state", "### Query latency", "### Query latency on one connection", "### Query latency with 100 open streams", "### Query latency while processing", "### Freshness",
                "### Restore from the changelog", "## Growth")) {
            assertTrue(md.contains(section), "missing " + section + " in\n" + md);
        }
        for (String row : List.of("replay-tool", "Kafka ProducerPerformance", "processor (fresh application",
                "plain KafkaConsumer",
                "Kafka Streams yardstick", "Kafka Streams yardstick keeping each event")) {
            Matcher m = Pattern.compile("\\| " + Pattern.quote(row) + "[^|]*\\| ([\\d,]+) ").matcher(md);
            assertTrue(m.find(), "no figure for " + row + " in\n" + md);
            assertTrue(Long.parseLong(m.group(1).replace(",", "")) > 0, row);
        }
        for (String endpoint : BenchCommand.DASHBOARD_MIX) {
            assertTrue(md.contains("| `" + endpoint + "` | "), "no latency row for " + endpoint);
            assertTrue(Pattern.compile("\\| `" + Pattern.quote(endpoint) + "` \\| \\d+\\.\\d{3} \\| \\d+\\.\\d{3} \\| [\\d.]+ \\| [\\d.]+ \\| \\d+\\.\\d{3} \\| \\d+\\.\\d{3} \\|")
                            .matcher(md).find(),
                    "no one-connection row for " + endpoint + " in\n" + md);
        }
        assertTrue(md.contains("100 streams opened and 600 of 600 initial answers"), md);
        assertTrue(Pattern.compile("broker ack to visible: p50 \\d+ ms").matcher(md).find(), md);
        // a small run may be over before a probe sees 10% of it: the marginal row is there, its figure may be NaN
        assertTrue(md.contains("| processor, marginal rate"), md);
        assertTrue(Pattern.compile("worst ratio here \\d+\\.\\d\\d").matcher(md).find(), "hello-world baseline missing in\n" + md);
        Matcher cache = Pattern.compile("Answer cache meanwhile \\(all endpoints\\): ([\\d,]+) fresh hits, ([\\d,]+) stale").matcher(md);
        assertTrue(cache.find(), "no answer-cache counts (scraped from /metrics) in\n" + md);
        assertTrue(Long.parseLong(cache.group(1).replace(",", "")) + Long.parseLong(cache.group(2).replace(",", "")) > 0,
                "the dashboard mix was answered from the cache");
        assertTrue(Pattern.compile("every answer complete again after \\d+\\.\\d s").matcher(md).find(), md);
    }

    @Test
    void freshnessOnlyMeasuresFreshnessAndNothingElse(@TempDir Path work) throws Exception {
        Path out = work.resolve("BENCHMARKS.md");
        ByteArrayOutputStream log = new ByteArrayOutputStream();

        int status = BenchCommand.run(new String[]{"--users", "1500", "--freshness-only", "--probes", "3", "--steady-rate", "1500",
                "--out", out.toString(), "--work", work.resolve("w").toString()}, new PrintStream(log, true));

        assertEquals(0, status, log.toString());
        String md = Files.readString(out);
        assertTrue(Pattern.compile("### Freshness \\(\\d+ probes during a replay at 1,500 events/s\\)").matcher(md).find(), md);
        assertTrue(Pattern.compile("broker ack to visible: p50 \\d+ ms").matcher(md).find(), md);
        for (String skipped : List.of("### Replay throughput", "### Processing throughput", "### Query latency", "### Restore", "## Growth")) {
            assertFalse(md.contains(skipped), skipped + " measured too in\n" + md);
        }
    }
}
