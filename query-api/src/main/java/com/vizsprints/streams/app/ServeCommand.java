package com.vizsprints.streams.app;

import com.vizsprints.streams.processor.config.ProcessorConfig;
import com.vizsprints.streams.processor.schema.TopicSetup;
import com.vizsprints.streams.processor.schema.Topics;
import com.vizsprints.streams.query.http.ApiOptions;
import com.vizsprints.streams.query.http.PeerOptions;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** {@code vizsprints serve}: the processor and the query API against any Kafka cluster. */
final class ServeCommand {
    static final String API_TOKEN_ENV = "VIZSPRINTS_API_TOKEN";
    static final List<String> FLAGS = List.of("bootstrap-servers", "port", "host", "advertised-host", "state-dir", "application-id",
            "processing-guarantee", "standby-replicas", "partitions", "replication-factor", "api-token", "cors-origins",
            "users-topic", "events-topic", "dead-letter-topic",
            "peer-host", "peer-port", "peer-secret");

    private ServeCommand() {
    }

    static int run(String[] args, PrintStream out) throws Exception {
        Flags f = new Flags("serve", args, FLAGS);
        AnalyticsApplication.Settings settings = settings(f, f.require("bootstrap-servers"));
        AnalyticsApplication app = AnalyticsApplication.start(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "vizsprints-shutdown"));
        out.println("VizSprints Streams API at http://" + settings.advertised() + ":" + app.port() + "/api/health");
        out.println(LogFile.consoleLine());
        stopped.await();
        return 0;
    }

    static AnalyticsApplication.Settings settings(Flags f, String bootstrapServers) {
        String guarantee = f.get("processing-guarantee", ProcessorConfig.DEFAULT_PROCESSING_GUARANTEE);
        if (!List.of("exactly_once_v2", "at_least_once").contains(guarantee)) {
            throw new Flags.UsageException("--processing-guarantee must be exactly_once_v2 or at_least_once, got '" + guarantee + "'");
        }
        Topics topics = new Topics(f.get("users-topic", Topics.DEFAULT_USERS), f.get("events-topic", Topics.DEFAULT_EVENTS),
                f.get("dead-letter-topic", Topics.DEFAULT_DEAD_LETTER));
        ProcessorConfig processor = ProcessorConfig.defaults(bootstrapServers, Path.of(f.get("state-dir", ".vizsprints/state")), null)
                .withApplicationId(f.get("application-id", ProcessorConfig.DEFAULT_APPLICATION_ID))
                .withProcessingGuarantee(guarantee)
                .withStandbyReplicas(f.getInt("standby-replicas", ProcessorConfig.DEFAULT_STANDBY_REPLICAS))
                .withReplicationFactor(f.getInt("replication-factor", 1))
                .withTopics(topics);
        String token = f.get("api-token", System.getenv(API_TOKEN_ENV));
        List<String> origins = Arrays.stream(f.get("cors-origins", "*").split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        int peerPort = f.getInt("peer-port", 0);
        if (peerPort < 0 || peerPort > 65_535) {
            throw new Flags.UsageException("--peer-port must be between 0 and 65535, got " + peerPort);
        }
        PeerOptions peer = new PeerOptions(f.get("peer-host"), peerPort, f.get("peer-secret", System.getenv(PeerOptions.SECRET_ENV)));
        return new AnalyticsApplication.Settings(processor, f.get("host", "127.0.0.1"), f.get("advertised-host"), f.getInt("port", 5000),
                f.getInt("partitions", TopicSetup.DEFAULT_PARTITIONS), new ApiOptions(origins, token == null || token.isEmpty() ? null : token),
                peer);
    }
}
