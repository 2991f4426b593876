package com.vizsprints.streams.app;

import com.vizsprints.streams.cli.Cli;
import com.vizsprints.streams.cli.KafkaOptions;
import com.vizsprints.streams.cli.VersionProvider;
import com.vizsprints.streams.processor.config.ProcessorConfig;
import com.vizsprints.streams.processor.schema.TopicSetup;
import com.vizsprints.streams.processor.schema.Topics;
import com.vizsprints.streams.query.http.ApiOptions;
import com.vizsprints.streams.query.http.PeerOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;

/** {@code vizsprints serve}: the processor and the query API against any Kafka cluster. */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        description = "The stream processor and the query API against any Kafka cluster.")
public final class ServeCommand implements Callable<Integer> {
    static final String API_TOKEN_ENV = "VIZSPRINTS_API_TOKEN";
    /** Exit status when stream processing stopped by itself (an error that cannot heal). */
    static final int STREAMS_FAILED_EXIT = 3;
    /** Printed before that exit (tests look for it). */
    static final String STREAMS_FAILED = "stream processing stopped by itself";
    /** The options that take a value (without dashes), as scripts and docker-compose.yml use them. */
    static final List<String> FLAGS = List.of("bootstrap-servers", "port", "host", "advertised-host", "state-dir", "application-id",
            "processing-guarantee", "standby-replicas", "partitions", "replication-factor", "api-token", "cors-origins", "http-threads",
            "users-topic", "events-topic", "dead-letter-topic", "peer-host", "peer-port", "peer-secret", "config", "kafka-config");

    enum Guarantee { exactly_once_v2, at_least_once }

    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]", description = "Kafka bootstrap servers (required)")
    String bootstrapServers;
    @Option(names = "--port", paramLabel = "PORT", defaultValue = "5000", description = "HTTP port, 0 for any free port (default ${DEFAULT-VALUE})")
    int port;
    @Option(names = "--host", defaultValue = "127.0.0.1", description = "address the HTTP server binds to (default ${DEFAULT-VALUE})")
    String host;
    @Option(names = "--advertised-host", description = "address the other instances reach this one at (default: --host)")
    String advertisedHost;
    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = ".vizsprints/state", description = "RocksDB state (default ${DEFAULT-VALUE})")
    Path stateDir;
    @Option(names = "--application-id", paramLabel = "ID", defaultValue = ProcessorConfig.DEFAULT_APPLICATION_ID,
            description = "Kafka Streams application.id, shared by the instances of one deployment (default ${DEFAULT-VALUE})")
    String applicationId;
    @Option(names = "--processing-guarantee", defaultValue = "exactly_once_v2", description = "${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
    Guarantee processingGuarantee;
    @Option(names = "--standby-replicas", paramLabel = "N", defaultValue = "" + ProcessorConfig.DEFAULT_STANDBY_REPLICAS,
            description = "num.standby.replicas (default ${DEFAULT-VALUE})")
    int standbyReplicas;
    @Option(names = "--partitions", paramLabel = "N", defaultValue = "" + TopicSetup.DEFAULT_PARTITIONS,
            description = "partitions of the input topics when this instance creates them (default ${DEFAULT-VALUE})")
    int partitions;
    @Option(names = "--replication-factor", paramLabel = "R", defaultValue = "1",
            description = "replication factor of the topics this instance creates (default ${DEFAULT-VALUE})")
    int replicationFactor;
    @Option(names = "--api-token", paramLabel = "TOKEN", description = "bearer token the API requires (default: none; also " + API_TOKEN_ENV + ")")
    String apiToken;
    @Option(names = "--cors-origins", paramLabel = "O1,O2", defaultValue = "*", description = "allowed CORS origins (default ${DEFAULT-VALUE})")
    String corsOrigins;
    @Option(names = "--http-threads", paramLabel = "N",
            description = "threads of the HTTP server, at least " + ApiOptions.MIN_REQUEST_THREADS + ", three of them accepting and"
                    + " reading connections; requests beyond the others wait in a queue, so a query load cannot crowd out stream"
                    + " processing (default: 2 and one per core, at least " + ApiOptions.MIN_REQUEST_THREADS + ")")
    Integer httpThreads;
    @Option(names = "--users-topic", defaultValue = Topics.DEFAULT_USERS, description = "default ${DEFAULT-VALUE}")
    String usersTopic;
    @Option(names = "--events-topic", defaultValue = Topics.DEFAULT_EVENTS, description = "default ${DEFAULT-VALUE}")
    String eventsTopic;
    @Option(names = "--dead-letter-topic", defaultValue = Topics.DEFAULT_DEAD_LETTER, description = "default ${DEFAULT-VALUE}")
    String deadLetterTopic;
    @Option(names = "--no-create-topics",
            description = "do not create topics (ACLs forbid it): check that they exist and are co-partitioned, else fail")
    boolean noCreateTopics;
    @Option(names = "--peer-host", description = "address the peer server (store entries for the other instances) binds to (default: --host)")
    String peerHost;
    @Option(names = "--peer-port", paramLabel = "PORT", defaultValue = "0",
            description = "peer server port, advertised to the other instances; 0 for any free port (default ${DEFAULT-VALUE})")
    int peerPort;
    @Option(names = "--peer-secret", paramLabel = "SECRET",
            description = "shared secret the peer server requires (default: none; prefer " + PeerOptions.SECRET_ENV + ")")
    String peerSecret;
    @Mixin
    KafkaOptions kafka = new KafkaOptions();

    private final PrintStream out;

    ServeCommand(PrintStream out) {
        this.out = out;
    }

    /** The settings {@code args} ask for (no environment, no config file): for checking scripts against the real flags. */
    public static AnalyticsApplication.Settings parse(String... args) {
        PrintStream nowhere = new PrintStream(PrintStream.nullOutputStream());
        ServeCommand command = new ServeCommand(nowhere);
        Cli.commandLine(command, Map.of(), nowhere, nowhere).parseArgs(args);
        return command.settings();
    }

    /**
     * Serves until the JVM is terminated (status 0), or until stream processing stops by itself
     * (status {@value #STREAMS_FAILED_EXIT}): transient Kafka errors never get that far (the
     * failed stream thread is replaced, see {@link StreamErrorPolicy}), so this is an error that
     * cannot heal, and a process that would only answer 503 is better restarted by its supervisor.
     */
    @Override
    public Integer call() throws Exception {
        AnalyticsApplication.Settings settings = settings();
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
        out.println(LogFile.consoleLine());
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

    AnalyticsApplication.Settings settings() {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw Cli.usage(spec, "Missing required option: '--bootstrap-servers'");
        }
        if (port < 0 || port > 65535) {
            throw Cli.usage(spec, "--port must be from 0 to 65535, got " + port);
        }
        if (standbyReplicas < 0) {
            throw Cli.usage(spec, "--standby-replicas must be at least 0, got " + standbyReplicas);
        }
        if (partitions < 1) {
            throw Cli.usage(spec, "--partitions must be at least 1, got " + partitions);
        }
        if (replicationFactor < 1 || replicationFactor > Short.MAX_VALUE) {
            throw Cli.usage(spec, "--replication-factor must be from 1 to " + Short.MAX_VALUE + ", got " + replicationFactor);
        }
        Map<String, String> client;
        try {
            client = kafka.clientProperties();
        } catch (IllegalArgumentException e) {
            throw Cli.usage(spec, e.getMessage());
        }
        Topics topics = new Topics(usersTopic, eventsTopic, deadLetterTopic);
        ProcessorConfig processor = ProcessorConfig.defaults(bootstrapServers, stateDir, null)
                .withApplicationId(applicationId)
                .withProcessingGuarantee(processingGuarantee.name())
                .withStandbyReplicas(standbyReplicas)
                .withReplicationFactor(replicationFactor)
                .withTopics(topics)
                .withClientProperties(client);
        String token = apiToken != null ? apiToken : System.getenv(API_TOKEN_ENV);
        List<String> origins = Arrays.stream(corsOrigins.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (peerPort < 0 || peerPort > 65535) {
            throw Cli.usage(spec, "--peer-port must be from 0 to 65535, got " + peerPort);
        }
        int threads = httpThreads != null ? httpThreads : ApiOptions.DEFAULT_REQUEST_THREADS;
        if (threads < ApiOptions.MIN_REQUEST_THREADS) {
            throw Cli.usage(spec, "--http-threads must be at least " + ApiOptions.MIN_REQUEST_THREADS + ", got " + threads);
        }
        PeerOptions peer = new PeerOptions(peerHost, peerPort, peerSecret != null ? peerSecret : System.getenv(PeerOptions.SECRET_ENV));
        return new AnalyticsApplication.Settings(processor, host, advertisedHost, port, partitions,
                new ApiOptions(origins, token == null || token.isEmpty() ? null : token).withRequestThreads(threads), peer, !noCreateTopics);
    }

    static CommandLine.Model.CommandSpec specOf() {
        return new CommandLine(new ServeCommand(System.out)).getCommandSpec();
    }
}
