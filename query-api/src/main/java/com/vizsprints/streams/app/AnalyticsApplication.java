package com.vizsprints.streams.app;

import com.vizsprints.streams.processor.ProcessorApp;
import com.vizsprints.streams.processor.config.ProcessorConfig;
import com.vizsprints.streams.processor.schema.TopicSetup;
import com.vizsprints.streams.query.http.ApiOptions;
import com.vizsprints.streams.query.http.ApiServer;
import com.vizsprints.streams.query.service.AnalyticsQueryService;
import com.vizsprints.streams.query.service.DeferredStoreAccess;
import com.vizsprints.streams.query.service.LocalStoreAccess;
import io.javalin.Javalin;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;

/**
 * One instance of the application: the HTTP API and the stream processing in one JVM. The API
 * starts first so that its address can be advertised to the other instances.
 */
public final class AnalyticsApplication implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AnalyticsApplication.class);

    /**
     * @param host       address the HTTP server binds to and advertises
     * @param port       HTTP port, 0 for any free port
     * @param partitions partition count of the input topics when this instance creates them
     */
    public record Settings(ProcessorConfig processor, String host, int port, int partitions, ApiOptions api) {
    }

    private final Javalin http;
    private final KafkaStreams streams;
    private final Admin admin;

    private AnalyticsApplication(Javalin http, KafkaStreams streams, Admin admin) {
        this.http = http;
        this.streams = streams;
        this.admin = admin;
    }

    public static AnalyticsApplication start(Settings settings) throws Exception {
        DeferredStoreAccess access = new DeferredStoreAccess();
        Javalin http = ApiServer.create(new AnalyticsQueryService(access), settings.api()).start(settings.host(), settings.port());
        Admin admin = null;
        try {
            ProcessorConfig processor = settings.processor();
            admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, processor.bootstrapServers()));
            TopicSetup.ensureTopics(admin, processor.topics(), settings.partitions(), (short) processor.replicationFactor());
            ProcessorConfig advertised = new ProcessorConfig(processor.applicationId(), processor.bootstrapServers(),
                    processor.stateDir(), settings.host() + ":" + http.port(), processor.processingGuarantee(),
                    processor.standbyReplicas(), processor.commitIntervalMs(), processor.replicationFactor(), processor.topics());
            KafkaStreams streams = ProcessorApp.create(advertised);
            streams.setUncaughtExceptionHandler(e -> {
                LOG.error("stream processing failed; this instance stops processing", e);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
            access.bind(new LocalStoreAccess(streams, processor.topics(), admin, processor.applicationId()));
            streams.start();
            return new AnalyticsApplication(http, streams, admin);
        } catch (Exception e) {
            http.stop();
            if (admin != null) {
                admin.close();
            }
            throw e;
        }
    }

    public int port() {
        return http.port();
    }

    public KafkaStreams streams() {
        return streams;
    }

    /** Waits until stream processing is RUNNING; false on timeout or when it failed. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            KafkaStreams.State s = streams.state();
            if (s == KafkaStreams.State.RUNNING) {
                return true;
            }
            if (s == KafkaStreams.State.ERROR || s == KafkaStreams.State.NOT_RUNNING) {
                return false;
            }
            Thread.sleep(50);
        }
        return false;
    }

    @Override
    public void close() {
        http.stop();
        streams.close(Duration.ofSeconds(30));
        admin.close(Duration.ofSeconds(5));
    }
}
