package com.vizsprints.streams.app;

import com.vizsprints.streams.processor.ProcessorApp;
import com.vizsprints.streams.processor.config.ProcessorConfig;
import com.vizsprints.streams.processor.schema.TopicSetup;
import com.vizsprints.streams.query.http.ApiOptions;
import com.vizsprints.streams.query.http.ApiServer;
import com.vizsprints.streams.query.http.Operations;
import com.vizsprints.streams.query.http.PeerOptions;
import com.vizsprints.streams.query.http.PeerServer;
import com.vizsprints.streams.processor.logic.AggregateKeys;
import com.vizsprints.streams.processor.schema.StateStores;
import com.vizsprints.streams.query.service.AnalyticsQueryService;
import com.vizsprints.streams.query.service.DeferredStoreAccess;
import com.vizsprints.streams.query.service.ClusterStoreAccess;
import com.vizsprints.streams.query.service.LocalStoreReader;
import com.vizsprints.streams.query.service.NotReadyException;
import com.vizsprints.streams.query.service.PeerClient;
import com.vizsprints.streams.query.service.StorePeerService;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import java.util.concurrent.atomic.AtomicReference;
import io.javalin.Javalin;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One instance of the application: the HTTP API and the stream processing in one JVM. The API
 * starts first so that its address can be advertised to the other instances.
 */
public final class AnalyticsApplication implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AnalyticsApplication.class);
    /** Marker of the log line written on each change of Kafka Streams' state (operators and tests read it). */
    public static final String STATE_CHANGE = "stream processing state:";

    /**
     * @param host           address the HTTP server binds to
     * @param advertisedHost address the other instances reach this one at (null: {@code host})
     * @param port           HTTP port, 0 for any free port
     * @param partitions     partition count of the input topics when this instance creates them
     * @param peer           where the peer server (store entries for the other instances) listens, and its secret
     * @param createTopics   create missing topics; false: only check that they exist and are co-partitioned
     */
    public record Settings(ProcessorConfig processor, String host, String advertisedHost, int port, int partitions, ApiOptions api,
                           PeerOptions peer, boolean createTopics) {
        public Settings(ProcessorConfig processor, String host, int port, int partitions, ApiOptions api) {
            this(processor, host, null, port, partitions, api, PeerOptions.defaults(), true);
        }

        public Settings(ProcessorConfig processor, String host, String advertisedHost, int port, int partitions, ApiOptions api) {
            this(processor, host, advertisedHost, port, partitions, api, PeerOptions.defaults(), true);
        }

        public Settings(ProcessorConfig processor, String host, String advertisedHost, int port, int partitions, ApiOptions api,
                        PeerOptions peer) {
            this(processor, host, advertisedHost, port, partitions, api, peer, true);
        }

        /** Address the peer server binds to: {@code --peer-host}, else {@code --host}. */
        public String peerHost() {
            return peer.host() != null ? peer.host() : host;
        }

        public String advertised() {
            return advertisedHost != null ? advertisedHost : host;
        }
    }

    private final Javalin http;
    private final Javalin peerHttp;
    private final KafkaStreams streams;
    private final Admin admin;
    private final HangingTransactionGuard guard;
    private final Operations ops;
    private final AtomicBoolean closing;

    private AnalyticsApplication(Javalin http, Javalin peerHttp, KafkaStreams streams, Admin admin, Operations ops, AtomicBoolean closing,
                                 HangingTransactionGuard guard) {
        this.http = http;
        this.peerHttp = peerHttp;
        this.streams = streams;
        this.admin = admin;
        this.guard = guard;
        this.ops = ops;
        this.closing = closing;
    }

    public static AnalyticsApplication start(Settings settings) throws Exception {
        return start(settings, state -> { });
    }

    /**
     * Starts the instance; {@code onStoppedByItself} is called (once, on a Kafka Streams thread:
     * do not block or close from it) when stream processing reaches ERROR or NOT_RUNNING without
     * {@link #close()} having been called, i.e. when it failed in a way that {@link StreamErrorPolicy}
     * judged unable to heal. The launcher exits non-zero then; tests that run the application
     * in-process pass nothing and see the state instead.
     */
    public static AnalyticsApplication start(Settings settings, Consumer<KafkaStreams.State> onStoppedByItself) throws Exception {
        DeferredStoreAccess access = new DeferredStoreAccess();
        AtomicReference<ClusterStoreAccess> cluster = new AtomicReference<>();
        StorePeerService peerService = new StorePeerService(new LocalStoreReader() {
            @Override
            public <K, V> ReadOnlyKeyValueStore<K, V> open(String store, int partition, boolean stale) {
                ClusterStoreAccess c = cluster.get();
                if (c == null) {
                    throw new NotReadyException("stream processing is not created yet");
                }
                return c.open(store, partition, stale);
            }
        });
        Operations ops = new Operations().bindStores(access);
        // The API's port first: a peer server on any free port (0, the default) could otherwise be
        // given the very port the API was asked to use, free a moment before.
        Javalin http = ApiServer.create(new AnalyticsQueryService(access), settings.api(), ops).start(settings.host(), settings.port());
        // Peer traffic (raw store entries) has a server of its own; its address is application.server.
        Javalin peerHttp;
        try {
            peerHttp = PeerServer.create(peerService, settings.peer()).start(settings.peerHost(), settings.peer().port());
        } catch (RuntimeException e) {
            http.stop();
            throw e;
        }
        Admin admin = null;
        try {
            ProcessorConfig processor = settings.processor();
            admin = Admin.create(processor.adminProperties());
            List<String> notes = settings.createTopics()
                    ? TopicSetup.ensureTopics(admin, processor.topics(), settings.partitions(), (short) processor.replicationFactor())
                    : TopicSetup.checkTopics(admin, processor.topics(), TopicSetup.DEFAULT_TIMEOUT);
            notes.forEach(LOG::info);
            ProcessorConfig advertised = processor.withApplicationServer(settings.advertised() + ":" + peerHttp.port());
            KafkaStreams streams = ProcessorApp.create(advertised);
            streams.setUncaughtExceptionHandler(new StreamErrorPolicy());
            AtomicBoolean closing = new AtomicBoolean();
            AtomicBoolean reported = new AtomicBoolean();
            streams.setStateListener((newState, oldState) -> {
                LOG.info("{} {} -> {}", STATE_CHANGE, oldState, newState);
                if ((newState == KafkaStreams.State.ERROR || newState == KafkaStreams.State.NOT_RUNNING)
                        && !closing.get() && reported.compareAndSet(false, true)) {
                    LOG.error("stream processing stopped by itself ({} -> {})", oldState, newState);
                    onStoppedByItself.accept(newState);
                }
            });
            ClusterStoreAccess stores = new ClusterStoreAccess(streams, processor.topics(), admin, processor.applicationId(),
                    new HostInfo(settings.advertised(), peerHttp.port()), new PeerClient(settings.peer().secret(), Duration.ofSeconds(10)));
            cluster.set(stores);
            access.bind(stores);
            ops.bindStreams(streams)
                    .gauge("vizsprints.dead.lettered.records", "Records sent to the dead-letter topic, over this instance's active partitions (sum over instances)",
                            () -> localCounter(stores, AggregateKeys.DEAD_LETTERED))
                    .gauge("vizsprints.duplicate.events", "Events seen again (same event_id) and counted once, over this instance's active partitions (sum over instances)",
                            () -> localCounter(stores, AggregateKeys.DUPLICATE_EVENTS));
            streams.start();
            HangingTransactionGuard guard = new HangingTransactionGuard(admin, processor.applicationId(),
                    HangingTransactionGuard.staleAfter(processor.streamsProperties()), System::nanoTime)
                    .every(HangingTransactionGuard.PERIOD);
            return new AnalyticsApplication(http, peerHttp, streams, admin, ops, closing, guard);
        } catch (Exception e) {
            http.stop();
            peerHttp.stop();
            if (admin != null) {
                admin.close();
            }
            throw e;
        }
    }

    public int port() {
        return http.port();
    }

    /** The port of the peer server (advertised as {@code application.server}). */
    public int peerPort() {
        return peerHttp.port();
    }

    /** A counter of the aggregates summed over the partitions this instance owns: local store reads only. */
    private static Long localCounter(ClusterStoreAccess stores, String key) {
        long sum = 0;
        for (int p : stores.localPartitions()) {
            try {
                Long v = stores.<String, Long>open(StateStores.AGGREGATES, p, false).get(key);
                sum += v == null ? 0 : v;
            } catch (org.apache.kafka.streams.errors.InvalidStateStoreException migrating) {
                // the partition is moving; it is counted by its next owner
            }
        }
        return sum;
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

    /**
     * Stops serving, then leaves the consumer group on purpose, so the other instances take
     * over this instance's partitions at once instead of after the session timeout. Safe to call
     * more than once.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        http.stop();
        // Peers stop reaching this instance at once and read their standby copies meanwhile.
        peerHttp.stop();
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
        ops.close();
        guard.close();
        admin.close(Duration.ofSeconds(5));
    }
}
