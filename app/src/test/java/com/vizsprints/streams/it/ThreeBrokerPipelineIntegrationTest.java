package com.vizsprints.streams.it;

import com.vizsprints.streams.app.broker.EmbeddedKafkaBroker;
import com.vizsprints.streams.replay.ReplayOptions;
import com.vizsprints.streams.replay.ReplaySummary;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The whole pipeline on three KRaft brokers (replication factor 3, min ISR 2): one broker
 * stopped in the middle of a replay loses nothing and the answers end at the goldens.
 */
@Tag("integration")
class ThreeBrokerPipelineIntegrationTest {
    private static final Path DATA = RepositoryData.sampleData();

    @Test
    void oneBrokerOfThreeStoppedMidReplayLosesNothing(@TempDir Path work) throws Exception {
        List<EmbeddedKafkaBroker> nodes = startCluster(work);
        try {
            String bootstrap = nodes.stream().map(EmbeddedKafkaBroker::bootstrapServers).collect(Collectors.joining(","));
            try (Pipeline pipeline = Pipeline.startAgainst(bootstrap, work.resolve("app"), 3)) {
                CompletableFuture<ReplaySummary> replay = Pipeline.replayInBackground(
                        ReplayOptions.of(bootstrap, DATA.resolve("users.csv"), DATA.resolve("events.csv"))
                                .withReplicationFactor(3).withRatePerSecond(1000));
                Thread.sleep(4000);
                assertFalse(replay.isDone(), "the broker is stopped while the replay is still running (about 17 s)");
                nodes.get(1).close();

                ReplaySummary summary = replay.get(5, TimeUnit.MINUTES);
                assertEquals(0, summary.failed(), "acks=all with 2 of 3 replicas in sync: no record fails");
                ParityIntegrationTest.assertWholeSampleAnswersExactly(pipeline.baseUrl(), summary, Duration.ofMinutes(5));
            }
        } finally {
            for (EmbeddedKafkaBroker node : nodes) {
                node.close();
            }
        }
    }

    /** Three combined nodes on free ports; each start waits for a quorum, so they start together. */
    private static List<EmbeddedKafkaBroker> startCluster(Path work) throws Exception {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ports.add(EmbeddedKafkaBroker.freePort(ports.stream().mapToInt(Integer::intValue).toArray()));
        }
        String voters = (1 + "@127.0.0.1:" + ports.get(3)) + "," + (2 + "@127.0.0.1:" + ports.get(4)) + "," + (3 + "@127.0.0.1:" + ports.get(5));
        String clusterId = EmbeddedKafkaBroker.newClusterId();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<EmbeddedKafkaBroker>> started = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                EmbeddedKafkaBroker.ClusterNode node = new EmbeddedKafkaBroker.ClusterNode(i + 1, ports.get(i), ports.get(3 + i),
                        voters, clusterId, work.resolve("node-" + (i + 1)));
                started.add(pool.submit(() -> EmbeddedKafkaBroker.start(node)));
            }
            List<EmbeddedKafkaBroker> nodes = new ArrayList<>();
            for (Future<EmbeddedKafkaBroker> f : started) {
                nodes.add(f.get(2, TimeUnit.MINUTES));
            }
            return nodes;
        } finally {
            pool.shutdown();
        }
    }
}
