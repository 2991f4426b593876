package com.vizsprints.streams.app;

import com.vizsprints.streams.processor.config.ProcessorConfig;
import com.vizsprints.streams.processor.schema.TopicSetup;
import com.vizsprints.streams.processor.schema.Topics;
import com.vizsprints.streams.query.http.ApiOptions;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;

/** {@code vizsprints serve}: the processor and the query API against any Kafka cluster. */
final class ServeCommand {
    static final String API_TOKEN_ENV = "VIZSPRINTS_API_TOKEN";
    /** Exit status when stream processing stopped by itself (an error that cannot heal). */
    static final int STREAMS_FAILED_EXIT = 3;
    /** Printed before that exit (tests look for it). */
    static final String STREAMS_FAILED = "stream processing stopped by itself";
    static final List<String> FLAGS = List.of("bootstrap-servers", "port", "host", "advertised-host", "state-dir", "application-id",
            "processing-guarantee", "standby-replicas", "partitions", "replication-factor", "api-token", "cors-origins",
            "users-topic", "events-topic", "dead-letter-topic");

    private ServeCommand() {
    }

    /**
     * Serves until the JVM is terminated (status 0), or until stream processing stops by itself
     * (status {@value #STREAMS_FAILED_EXIT}): transient Kafka errors never get that far (the
     * failed stream thread is replaced, see {@link StreamErrorPolicy}), so this is an error that
     * cannot heal, and a process that would only answer 503 is better restarted by its supervisor.
     */
    static int run(String[] args, PrintStream out) throws Exception {
        Flags f = new Flags("serve", args, FLAGS);
        AnalyticsApplication.Settings settings = settings(f, f.require("bootstrap-servers"));
        CountDownLatch ended = new CountDownLatch(1);
        AtomicReference<KafkaStreams.State> failed = new AtomicReference<>();
        AnalyticsApplication app = AnalyticsApplication.start(settings, state -> {
            failed.set(state);
            ended.countDown();
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            ended.countDown();
        }, "vizsprints-shutdown"));
        out.println("VizSprints Streams API at http://" + settings.advertised() + ":" + app.port() + "/api/health");
        ended.await();
        KafkaStreams.State state = failed.get();
        if (state != null) {
            out.println(STREAMS_FAILED + " (state " + state + "); exiting with status " + STREAMS_FAILED_EXIT
                    + " so that a supervisor restarts this instance");
            out.flush();
            return STREAMS_FAILED_EXIT; // Main exits with it; the shutdown hook closes the application
        }
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
        return new AnalyticsApplication.Settings(processor, f.get("host", "127.0.0.1"), f.get("advertised-host"), f.getInt("port", 5000),
                f.getInt("partitions", TopicSetup.DEFAULT_PARTITIONS), new ApiOptions(origins, token == null || token.isEmpty() ? null : token));
    }
}
