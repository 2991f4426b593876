package com.vizsprints.streams.query.http;

import com.vizsprints.streams.query.service.NotReadyException;
import com.vizsprints.streams.query.service.StoreAccess;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.streams.KafkaStreams;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What operators watch: the meters behind {@code /metrics} (JVM, Kafka Streams client, HTTP
 * timings per route, and the pipeline's own figures) and the answers of the probes
 * {@code /livez} and {@code /readyz}. Every figure is read from memory or from a cache: a
 * scrape or a probe makes no Kafka call of its own.
 */
public final class Operations implements AutoCloseable {
    /** The Prometheus text exposition format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** Stream states from which this instance does not recover by itself. */
    static final Set<String> FAILED_STATES = Set.of("ERROR", "PENDING_ERROR", "NOT_RUNNING");

    public record Probe(int status, Map<String, Object> body) {
    }

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<AutoCloseable> closeables = new ArrayList<>();
    /** Request timers by kind, each built once (building and registering one per request cost 5.6% of a cached answer's CPU). */
    private final Map<RequestKind, Timer> requestTimers = new ConcurrentHashMap<>();
    private volatile KafkaStreams streams;
    private volatile StoreAccess stores;

    public Operations() {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        closeables.add(gc);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /**
     * The stores behind readiness and {@code vizsprints_pending_records} (the figure
     * {@link StoreAccess#status()} caches: one Kafka round trip per 200 ms at most, whatever the
     * number of scrapes and pollers).
     */
    public Operations bindStores(StoreAccess access) {
        this.stores = access;
        Gauge.builder("vizsprints.pending.records", access, a -> {
                    Long pending = a.status().pendingRecords();
                    return pending == null ? Double.NaN : pending;
                })
                .description("Input records not yet processed by the application (end offsets minus committed offsets, cached 200 ms); NaN when unknown")
                .strongReference(true)
                .register(registry);
        return this;
    }

    /** Kafka Streams: its state for the probes and its client metrics ({@code kafka_stream_*}). */
    public Operations bindStreams(KafkaStreams kafkaStreams) {
        this.streams = kafkaStreams;
        KafkaStreamsMetrics metrics = new KafkaStreamsMetrics(kafkaStreams);
        metrics.bindTo(registry);
        closeables.add(metrics);
        Gauge.builder("vizsprints.streams.state", kafkaStreams, s -> s.state().ordinal())
                .description("Kafka Streams state as its ordinal: 0 CREATED, 1 REBALANCING, 2 RUNNING, 3 PENDING_SHUTDOWN, 4 NOT_RUNNING, 5 PENDING_ERROR, 6 ERROR")
                .strongReference(true)
                .register(registry);
        return this;
    }

    /** A gauge of ours, read on each scrape: {@code supplier} must be cheap (memory or local stores). */
    public Operations gauge(String name, String description, Supplier<Number> supplier) {
        Gauge.builder(name, supplier, s -> {
            Number n = s.get();
            return n == null ? Double.NaN : n.doubleValue();
        }).description(description).strongReference(true).register(registry);
        return this;
    }

    void bindAnswerCache(AnswerCache<?> cache) {
        for (AnswerCache.Outcome outcome : AnswerCache.Outcome.values()) {
            FunctionCounter.builder("vizsprints.answer.cache.requests", cache, c -> c.count(outcome))
                    .description("Dashboard answers by cache outcome: hit (fresh), stale (served while refreshed in the background), miss (computed in the request)")
                    .tag("result", outcome.name().toLowerCase(java.util.Locale.ROOT))
                    .register(registry);
        }
    }

    /** One finished request, timed under its route template (never the raw path). */
    void recordRequest(Context ctx, Float millis) {
        String uri = null;
        try {
            Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
            uri = endpoint == null ? null : endpoint.path;
        } catch (RuntimeException none) {
            // no endpoint matched
        }
        int status = ctx.statusCode();
        if (uri == null) {
            uri = status == 404 ? "NOT_FOUND" : "UNKNOWN";
        }
        requestTimers.computeIfAbsent(new RequestKind(ctx.method().name(), uri, status), this::requestTimer)
                .record(millis == null ? 0 : (long) (millis * 1_000_000L), TimeUnit.NANOSECONDS);
    }

    /** The tags of a request's timer: few (routes times statuses), so each timer is built once. */
    private record RequestKind(String method, String uri, int status) {
    }

    private Timer requestTimer(RequestKind kind) {
        int status = kind.status();
        String outcome = status < 200 ? "INFORMATIONAL" : status < 300 ? "SUCCESS" : status < 400 ? "REDIRECTION"
                : status < 500 ? "CLIENT_ERROR" : "SERVER_ERROR";
        return Timer.builder("http.server.requests")
                .description("HTTP requests by route template, method and status")
                .tag("method", kind.method())
                .tag("uri", kind.uri())
                .tag("status", Integer.toString(status))
                .tag("outcome", outcome)
                .register(registry);
    }

    String scrape() {
        return registry.scrape();
    }

    private String state() {
        KafkaStreams s = streams;
        return s == null ? null : s.state().name();
    }

    /** 200 while the process is sound; 503 once stream processing has failed or stopped. No Kafka call. */
    Probe liveness() {
        String state = state();
        Map<String, Object> body = new LinkedHashMap<>();
        boolean failed = state != null && FAILED_STATES.contains(state);
        body.put("status", failed ? "failed" : "alive");
        body.put("streams_state", state == null ? "CREATED" : state);
        if (failed) {
            body.put("reason", "stream processing is " + state + "; this instance no longer processes records");
        }
        return new Probe(failed ? 503 : 200, body);
    }

    /**
     * 200 only when stream processing is RUNNING and every partition can be read (from this
     * instance, a reachable owner or a standby): what the API needs to answer completely.
     */
    Probe readiness() {
        String state = state();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "not_ready");
        body.put("streams_state", state == null ? "CREATED" : state);
        StoreAccess access = stores;
        if (state == null || access == null) {
            body.put("reason", "stream processing is not created yet");
            return new Probe(503, body);
        }
        if (!state.equals("RUNNING")) {
            body.put("reason", "stream processing is " + state + ", not RUNNING");
            return new Probe(503, body);
        }
        StoreAccess.PartitionSet set;
        try {
            set = access.partitions();
        } catch (NotReadyException | org.apache.kafka.streams.errors.InvalidStateStoreException e) {
            body.put("reason", e.getMessage());
            return new Probe(503, body);
        }
        if (!set.missing().isEmpty()) {
            body.put("reason", "partitions " + set.missing() + " have no queryable copy right now");
            body.put("missing_partitions", set.missing());
            return new Probe(503, body);
        }
        body.put("status", "ready");
        body.put("partitions", set.available().size());
        return new Probe(200, body);
    }

    @Override
    public void close() {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing meters only
            }
        }
        registry.close();
    }
}
