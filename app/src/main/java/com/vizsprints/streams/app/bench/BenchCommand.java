package com.vizsprints.streams.app.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.vizsprints.streams.app.ChildJvm;
import com.vizsprints.streams.cli.Cli;
import com.vizsprints.streams.cli.ConfigOption;
import com.vizsprints.streams.cli.VersionProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import com.vizsprints.streams.app.broker.EmbeddedKafkaBroker;
import com.vizsprints.streams.processor.config.ProcessorConfig;
import com.vizsprints.streams.processor.model.EventRecord;
import com.vizsprints.streams.processor.schema.JsonSerdes;
import com.vizsprints.streams.processor.schema.TopicSetup;
import com.vizsprints.streams.processor.schema.Topics;
import com.vizsprints.streams.processor.topology.YardstickTopology;
import com.vizsprints.streams.replay.EventsCsv;
import com.vizsprints.streams.replay.Backpressure;
import com.vizsprints.streams.replay.ReplayOptions;
import com.vizsprints.streams.replay.ReplaySummary;
import com.vizsprints.streams.replay.ReplayTool;
import com.vizsprints.streams.replay.TopicPublisher;
import com.vizsprints.streams.replay.generate.GenerateApp;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code vizsprints bench}: measures the pipeline against its yardsticks on an embedded broker
 * and writes BENCHMARKS.md. The application under test runs in its own JVM ({@code serve}),
 * as in production; the broker, the generator, the replay and the load clients run here.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        description = "Measures replay, processing, queries, freshness and memory; writes BENCHMARKS.md.")
public final class BenchCommand implements java.util.concurrent.Callable<Integer> {
    static final List<String> DASHBOARD_MIX = List.of("/api/metrics", "/api/funnel", "/api/cohorts", "/api/kpi-time-series",
            "/api/ab-test", "/api/user-sessions?limit=50&sort_by=total_hours", "/api/user-sessions?limit=50&sort_by=total_sessions",
            "/api/user-sessions?limit=50&sort_by=last_activity");
    /** The share of the events visible from which the query load while processing starts (start-up and first compilations behind). */
    static final double BUSY_FROM = 0.05;
    /** Requests per endpoint of the one-connection phase, and the unmeasured ones before them. */
    static final int ONE_CONNECTION_REQUESTS = 500;
    static final int ONE_CONNECTION_WARM_UP = 50;
    private static final Pattern PERF_SUMMARY = Pattern.compile("(\\d+) records sent, ([\\d.]+) records/sec");

    /** Settings of one benchmark run. */
    public record Settings(List<Integer> sizes, List<Integer> runsPerSize, int querySeconds, int clients, int probes, int steadyRate,
                           String replayMaxLag, String appHeap, List<String> appJavaOpts, Path out, Path work, int streams,
                           boolean freshnessOnly) {
    }

    @Spec
    CommandSpec spec;
    @Option(names = "--users", paramLabel = "N1,N2", defaultValue = "10000", split = ",",
            description = "data sizes in users, comma-separated (default ${DEFAULT-VALUE})")
    List<Integer> usersOption;
    @Option(names = "--runs", paramLabel = "R1,R2", defaultValue = "3", split = ",",
            description = "runs per size; the last applies to the remaining sizes (default ${DEFAULT-VALUE})")
    List<Integer> runsOption;
    @Option(names = "--query-seconds", defaultValue = "20", description = "query load per endpoint mix, seconds (default ${DEFAULT-VALUE})")
    int querySeconds;
    @Option(names = "--clients", defaultValue = "50", description = "concurrent query clients (default ${DEFAULT-VALUE})")
    int clients;
    @Option(names = "--probes", defaultValue = "300", description = "freshness probes (default ${DEFAULT-VALUE})")
    int probes;
    @Option(names = "--steady-rate", defaultValue = "0",
            description = "events/s of the replay during the freshness probes, 0 for full speed (default ${DEFAULT-VALUE})")
    int steadyRate;
    @Option(names = "--replay-max-lag", paramLabel = "N|TIME",
            description = "backpressure of the replay during the freshness probes, as replay --max-lag (records, or a time such as 250ms; default: none)")
    String replayMaxLag;
    @Option(names = "--freshness-only",
            description = "measure freshness alone (a fresh application and topics, the probes during a replay), e.g. to compare settings")
    boolean freshnessOnly;
    @Option(names = "--partitions", defaultValue = "" + TopicSetup.DEFAULT_PARTITIONS,
            description = "partitions of the benchmark's topics (default ${DEFAULT-VALUE}; the application runs one stream thread per core)")
    int partitions = TopicSetup.DEFAULT_PARTITIONS;
    @Option(names = "--streams", defaultValue = "1000", description = "open /api/stream clients during the second query load (default ${DEFAULT-VALUE})")
    int streams;
    @Option(names = "--app-heap", defaultValue = "1g", description = "-Xmx of the application JVM (default ${DEFAULT-VALUE})")
    String appHeap;
    @Option(names = "--app-java-opts", paramLabel = "\"OPTS\"", defaultValue = "", description = "more JVM options of the application")
    String appJavaOpts;
    @Option(names = "--out", paramLabel = "FILE", defaultValue = "BENCHMARKS.md", description = "report file (default ${DEFAULT-VALUE})")
    Path outFile;
    @Option(names = "--work", paramLabel = "DIR", description = "working directory (default: a new temporary one)")
    Path work;
    @Mixin
    ConfigOption config = new ConfigOption();

    private Settings settings;
    private PrintStream log;
    private final StringBuilder report = new StringBuilder();

    public BenchCommand(PrintStream out) {
        this.log = out;
    }

    public static int run(String[] args, PrintStream out) {
        return Cli.execute(new BenchCommand(out), args, System.getenv(), out, System.err);
    }

    @Override
    public Integer call() throws Exception {
        for (List<Integer> list : List.of(usersOption, runsOption)) {
            if (list.isEmpty() || list.stream().anyMatch(n -> n < 1)) {
                throw Cli.usage(spec, (list == usersOption ? "--users" : "--runs") + " must be a comma-separated list of positive integers");
            }
        }
        List<Integer> sizes = usersOption;
        List<Integer> runs = runsOption;
        List<Integer> runsPerSize = sizes.stream().map(x -> runs.get(Math.min(sizes.indexOf(x), runs.size() - 1))).toList();
        if (replayMaxLag != null) {
            try {
                Backpressure.parse("bench", replayMaxLag);
            } catch (IllegalArgumentException e) {
                throw Cli.usage(spec, "--replay-max-lag: " + e.getMessage());
            }
        }
        settings = new Settings(sizes, runsPerSize, querySeconds, clients, probes, steadyRate, replayMaxLag, appHeap,
                appJavaOpts.isBlank() ? List.of() : List.of(appJavaOpts.trim().split("\\s+")), outFile,
                work != null ? work : Files.createTempDirectory("vizsprints-bench-"), streams, freshnessOnly);
        // the launcher's arguments start with the command's own name: the report's "Reproduce" line adds it once
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        execute(String.join(" ", !args.isEmpty() && args.get(0).equals(spec.name()) ? args.subList(1, args.size()) : args));
        log.println("wrote " + settings.out().toAbsolutePath());
        return 0;
    }

    /** One size's figures, for the growth table. */
    private record SizeResult(int users, long events, Stats.Spread processing, Stats.Spread marginal, double worstQueryP99, double maxHeapMb,
                              double rssMb, double stateMb) {
    }

    private void execute(String commandLine) throws Exception {
        Files.createDirectories(settings.work());
        header(commandLine);
        List<SizeResult> growth = new ArrayList<>();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, settings.work().resolve("broker"))) {
            for (int users : settings.sizes()) {
                growth.add(measureSize(broker, users));
            }
        }
        if (settings.freshnessOnly()) {
            Files.writeString(settings.out(), report.toString());
            return;
        }
        report.append("\n## Growth\n\n| users | events | processing (events/s, median) | marginal (events/s, median) | worst dashboard p99 (ms) | heap used (MB) | RSS (MB) | state on disk (MB) |\n|---|---|---|---|---|---|---|---|\n");
        for (SizeResult r : growth) {
            report.append(String.format("| %,d | %,d | %,.0f | %,.0f | %.1f | %.0f | %.0f | %.0f |%n", r.users(), r.events(),
                    r.processing().median(), r.marginal().median(), r.worstQueryP99(), r.maxHeapMb(), r.rssMb(), r.stateMb()));
        }
        Files.writeString(settings.out(), report.toString());
    }

    private void header(String commandLine) {
        Runtime rt = Runtime.getRuntime();
        report.append("# VizSprints Streams benchmarks\n\n")
                .append("Reproduce: `./vizsprints bench ").append(commandLine).append("`\n\n")
                .append("## Machine and settings\n\n")
                .append("- CPU cores: ").append(rt.availableProcessors()).append("; memory: ").append(memTotal()).append('\n')
                .append("- Java: ").append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.version")).append('\n')
                .append("- OS: ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version")).append('\n')
                .append("- Kafka ").append(org.apache.kafka.common.utils.AppInfoParser.getVersion())
                .append(": one embedded KRaft broker in the benchmark's JVM; the application (`serve`, -Xmx").append(settings.appHeap())
                .append(") in its own JVM on the same machine\n")
                .append("- Topics: ").append(partitions).append(" partitions, replication 1; processing guarantee ")
                .append(ProcessorConfig.DEFAULT_PROCESSING_GUARANTEE).append(", commits every ").append(ProcessorConfig.KEEPING_UP_COMMIT_INTERVAL_MS).append(" ms while keeping up, every ").append(ProcessorConfig.DEFAULT_COMMIT_INTERVAL_MS)
                .append(" ms through a backlog, no record cache (the facts store stages its own writes between commits)").append(overrides()).append("\n")
                .append("- Replay producer: ").append(TopicPublisher.producerConfig("BOOTSTRAP")).append('\n')
                .append("- Data: `replay generate --users N --seed 1` (about 15 events per user, time-ordered)\n")
                .append("- Runs per figure: ").append(settings.runsPerSize()).append(" for ").append(settings.sizes())
                .append(" users (median, min, max)\n");
    }

    private static String overrides() {
        List<String> set = System.getProperties().stringPropertyNames().stream()
                .filter(k -> k.startsWith(ProcessorConfig.OVERRIDE_PREFIX)).sorted()
                .map(k -> k.substring(ProcessorConfig.OVERRIDE_PREFIX.length()) + "=" + System.getProperty(k)).toList();
        return set.isEmpty() ? "" : "; overrides: " + String.join(", ", set);
    }

    private static String memTotal() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\s+", " ");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private SizeResult measureSize(EmbeddedKafkaBroker broker, int users) throws Exception {
        int runs = settings.runsPerSize().get(settings.sizes().indexOf(users));
        Path data = settings.work().resolve("data-" + users);
        if (GenerateApp.run(new String[]{"--users", Integer.toString(users), "--seed", "1", "--out", data.toString()}, log, log) != 0) {
            throw new IllegalStateException("generating " + users + " users failed");
        }
        List<EventRecord> sample = new ArrayList<>();
        long eventRows = countEvents(data, sample);
        double avgValueBytes = sample.stream().mapToInt(e -> JsonSerdes.event().serializer().serialize("x", e).length).average().orElse(100);
        report.append("\n## ").append(String.format("%,d users, %,d events", users, eventRows)).append("\n\n");
        log.printf("bench: %,d users, %,d events%n", users, eventRows);
        if (settings.freshnessOnly()) {
            freshnessSection(broker, data);
            return null;
        }

        // Replay throughput against ProducerPerformance, same broker, count, record size and producer settings.
        List<Double> replay = new ArrayList<>();
        List<Double> perf = new ArrayList<>();
        Topics loaded = null;
        for (int r = 0; r < runs; r++) {
            Topics topics = new Topics("bench-" + users + "-" + r + ".users", "bench-" + users + "-" + r + ".events", "bench-" + users + "-" + r + ".dlq");
            ReplaySummary s = ReplayTool.run(new ReplayOptions(broker.bootstrapServers(), data.resolve("users.csv"), data.resolve("events.csv"),
                    partitions, 1, topics));
            if (!s.clean()) {
                throw new IllegalStateException("replay was not clean: " + s.report());
            }
            replay.add(s.published() / (s.elapsed().toNanos() / 1e9));
            perf.add(producerPerformance(broker, "bench-perf-" + users + "-" + r, s.published(), (int) Math.round(avgValueBytes)));
            if (loaded == null) {
                loaded = topics;
            }
        }
        Stats.Spread replaySpread = Stats.spread(replay);
        Stats.Spread perfSpread = Stats.spread(perf);
        report.append("### Replay throughput (CSV to acknowledged records)\n\n| what | records/s |\n|---|---|\n")
                .append("| replay-tool (users + events, CSV parsing included) | ").append(replaySpread.format("")).append(" |\n")
                .append("| Kafka ProducerPerformance, same count, ").append(Math.round(avgValueBytes)).append("-byte records, same producer settings | ")
                .append(perfSpread.format("")).append(" |\n")
                .append(String.format("| ratio (medians) | %.2f (goal >= 0.8) |%n%n", replaySpread.median() / perfSpread.median()));

        // Processing throughput against a plain consumer that only reads and deserializes.
        List<Double> processing = new ArrayList<>();
        List<Double> marginal = new ArrayList<>();
        List<Double> plain = new ArrayList<>();
        ChildJvm app = null;
        Path stateDir = null;
        int port = 0;
        for (int r = 0; r < runs; r++) {
            plain.add(plainConsumer(broker, loaded.events(), eventRows));
            if (app != null) {
                ChildJvm.stopAll(List.of(app), Duration.ofSeconds(30));
            }
            port = EmbeddedKafkaBroker.freePort();
            stateDir = settings.work().resolve("state-" + users + "-" + r);
            app = startApp(broker, loaded, "bench-app-" + users + "-" + r, stateDir, port);
            ProcessingRun run = processingRate(new HttpProbe("http://127.0.0.1:" + port), users, eventRows);
            processing.add(run.wholeRate());
            marginal.add(run.marginalRate());
        }
        // The Kafka Streams yardsticks run while the application is idle (topics fully processed).
        List<Double> yardstick = new ArrayList<>();
        List<Double> keepingYardstick = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            yardstick.add(streamsYardstick(broker, loaded, eventRows, "bench-yardstick-" + users + "-" + r, YardstickTopology.Variant.COUNTING));
            keepingYardstick.add(streamsYardstick(broker, loaded, eventRows, "bench-yardstick-keeping-" + users + "-" + r,
                    YardstickTopology.Variant.KEEPING_EVENTS));
        }
        Stats.Spread procSpread = Stats.spread(processing);
        Stats.Spread marginalSpread = Stats.spread(marginal);
        Stats.Spread plainSpread = Stats.spread(plain);
        Stats.Spread yardstickSpread = Stats.spread(yardstick);
        Stats.Spread keepingSpread = Stats.spread(keepingYardstick);
        report.append("### Processing throughput (events topic into every state store, exactly-once)\n\n| what | events/s |\n|---|---|\n")
                .append("| processor (fresh application, topic pre-filled), whole run from RUNNING | ").append(procSpread.format("")).append(" |\n")
                .append("| processor, marginal rate (from 10% to 100% of the events visible: start-up and warm-up left out) | ")
                .append(marginalSpread.format("")).append(" |\n")
                .append("| plain KafkaConsumer reading and deserializing the same topic | ").append(plainSpread.format("")).append(" |\n")
                .append("| Kafka Streams yardstick: same sources, parsing and settings, one cached counter instead of the analytics state | ")
                .append(yardstickSpread.format("")).append(" |\n")
                .append("| Kafka Streams yardstick keeping each event: the same, plus every event put in a changelogged store without a cache | ")
                .append(keepingSpread.format("")).append(" |\n")
                .append(String.format("| ratio to the plain consumer (medians) | %.3f (goal: 100,000 events/s) |%n", procSpread.median() / plainSpread.median()))
                .append(String.format("| ratio to the Kafka Streams yardstick (medians) | %.3f |%n", procSpread.median() / yardstickSpread.median()))
                .append(String.format("| marginal rate's ratio to the yardstick (medians) | %.3f |%n", marginalSpread.median() / yardstickSpread.median()))
                .append(String.format("| ratio to the yardstick keeping each event (medians) | %.3f |%n%n", procSpread.median() / keepingSpread.median()));

        HttpProbe api = new HttpProbe("http://127.0.0.1:" + port);
        JsonNode health = api.json("/api/health");
        double heapMb = health == null ? Double.NaN : health.path("jvm_heap_used_bytes").asDouble() / 1e6;
        double rssMb = rssMb(app.pid());
        double stateMb = duMb(stateDir);
        report.append("### Memory and state\n\n")
                .append(String.format("- heap used %.0f MB of -Xmx%s; RSS %.0f MB; state stores on disk %.0f MB%n%n", heapMb, settings.appHeap(), rssMb, stateMb));

        Latencies latencies = queryLoad(api);
        report.append(String.format("### Query latency (%d concurrent clients, dashboard mix, %d s)%n%n", settings.clients(), settings.querySeconds()));
        double worst = latencyTable(latencies);
        HelloWorldBaseline hello = helloWorldBaseline(api);
        Latencies baseline = hello.underLoad();
        report.append("Baseline in the same run: a Javalin hello-world in its own JVM answering each request with a fixed body of"
                        + " the same size, under the same load.\n\n| endpoint | application p99 ms | hello-world p99 ms | ratio |\n|---|---|---|---|\n");
        double worstRatio = 0;
        for (String path : DASHBOARD_MIX) {
            double appP99 = Stats.percentileMs(latencies.client().get(path), 99);
            double helloP99 = Stats.percentileMs(baseline.client().get(path), 99);
            worstRatio = Math.max(worstRatio, appP99 / helloP99);
            report.append(String.format("| `%s` | %.1f | %.1f | %.2f |%n", path, appP99, helloP99, appP99 / helloP99));
        }
        report.append(String.format("%nGoal: application p99 within 1.5x the hello-world's; worst ratio here %.2f.%n%n", worstRatio));

        oneConnectionSection(api, hello.oneConnection());
        streamsSection(api, latencies);
        busySection(broker, loaded, users, eventRows);

        freshnessSection(broker, data);
        ChildJvm.stopAll(List.of(app), Duration.ofSeconds(30));

        // Restore: the same application, its local state deleted, rebuilds every store from the changelog.
        deleteRecursively(stateDir);
        long restoreStart = System.nanoTime();
        String appId = "bench-app-" + users + "-" + (runs - 1);
        ChildJvm restored = startApp(broker, loaded, appId, stateDir, port);
        double restoreSeconds = untilEverythingVisible(new HttpProbe("http://127.0.0.1:" + port), users, eventRows, restoreStart);
        report.append(String.format("### Restore from the changelog%n%n- local state deleted, the same application restarted:"
                + " every answer complete again after %.1f s (process start included)%n%n", restoreSeconds));
        ChildJvm.stopAll(List.of(restored), Duration.ofSeconds(30));
        return new SizeResult(users, eventRows, procSpread, marginalSpread, worst, heapMb, rssMb, stateMb);
    }

    private static long countEvents(Path data, List<EventRecord> sample) throws IOException {
        long[] n = {0};
        EventsCsv.read(data.resolve("events.csv"), e -> {
            if (n[0]++ < 10_000) {
                sample.add(e);
            }
        }, rejected -> {
        });
        return n[0];
    }

    private double producerPerformance(EmbeddedKafkaBroker broker, String topic, long records, int recordSize) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, partitions, (short) 1))).all().get();
        }
        List<String> args = new ArrayList<>(List.of("--topic", topic, "--num-records", Long.toString(records),
                "--record-size", Integer.toString(recordSize), "--throughput", "-1", "--producer-props"));
        TopicPublisher.producerConfig(broker.bootstrapServers()).forEach((k, v) -> {
            if (!k.endsWith("serializer")) {
                args.add(k + "=" + v);
            }
        });
        ChildJvm perf = ChildJvm.start("producer-performance", settings.work().resolve("producer-performance.log"), List.of("-Xmx512m"),
                "org.apache.kafka.tools.ProducerPerformance", args);
        while (perf.isAlive()) {
            Thread.sleep(200);
        }
        String output = Files.readString(perf.log());
        Matcher last = null;
        for (Matcher m = PERF_SUMMARY.matcher(output); m.find(); ) {
            last = PERF_SUMMARY.matcher(m.group());
            last.find();
        }
        if (last == null) {
            throw new IllegalStateException("ProducerPerformance printed no summary:\n" + output);
        }
        return Double.parseDouble(last.group(2));
    }

    private static double plainConsumer(EmbeddedKafkaBroker broker, String topic, long expected) {
        Deserializer<EventRecord> events = JsonSerdes.event().deserializer();
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long n = 0;
            long start = System.nanoTime();
            while (n < expected) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (events.deserialize(topic, r.value()) != null) {
                        n++;
                    }
                }
            }
            return n / ((System.nanoTime() - start) / 1e9);
        }
    }

    private ChildJvm startApp(EmbeddedKafkaBroker broker, Topics topics, String appId, Path stateDir, int port) throws Exception {
        List<String> jvm = new ArrayList<>(List.of("-Xmx" + settings.appHeap()));
        jvm.addAll(settings.appJavaOpts());
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith(ProcessorConfig.OVERRIDE_PREFIX))
                .forEach(k -> jvm.add("-D" + k + "=" + System.getProperty(k)));
        ChildJvm app = ChildJvm.start(appId, settings.work().resolve(appId + ".log"), jvm,
                ChildJvm.LAUNCHER_MAIN, List.of("serve", "--bootstrap-servers", broker.bootstrapServers(),
                        "--port", Integer.toString(port), "--state-dir", stateDir.toString(), "--application-id", appId,
                        "--users-topic", topics.users(), "--events-topic", topics.events(), "--dead-letter-topic", topics.deadLetter()));
        app.awaitLine("VizSprints Streams API at", Duration.ofMinutes(2));
        return app;
    }

    /** Events per second of {@link StreamsYardstick} in its own JVM, with the application's heap. */
    private double streamsYardstick(EmbeddedKafkaBroker broker, Topics topics, long events, String appId,
                                    YardstickTopology.Variant variant) throws Exception {
        ChildJvm child = ChildJvm.start(appId, settings.work().resolve(appId + ".log"), List.of("-Xmx" + settings.appHeap()),
                StreamsYardstick.class.getName(), List.of(broker.bootstrapServers(), topics.users(), topics.events(), topics.deadLetter(),
                        appId, settings.work().resolve("state-" + appId).toString(), Long.toString(events), variant.name()));
        try {
            String line = child.awaitLine(StreamsYardstick.RESULT_MARKER, Duration.ofMinutes(60));
            return Double.parseDouble(line.substring(line.indexOf(StreamsYardstick.RESULT_MARKER) + StreamsYardstick.RESULT_MARKER.length()).trim());
        } finally {
            ChildJvm.stopAll(List.of(child), Duration.ofSeconds(30));
        }
    }

    /** Events per second from the application reaching RUNNING until every input record is processed. */
    /**
     * @param wholeRate    events / time from RUNNING to every event and user visible
     * @param marginalRate events visible between the first probe at 10% or more and the end, over that time
     */
    private record ProcessingRun(double wholeRate, double marginalRate) {
    }

    /** Watches a fresh application process a pre-filled topic, with a light probe (one health call per 50 ms). */
    private static ProcessingRun processingRate(HttpProbe api, int users, long events) throws InterruptedException {
        long start = 0;
        long marginStart = 0;
        long marginEvents = 0;
        while (true) {
            JsonNode h = api.json("/api/health");
            long now = System.nanoTime();
            if (h != null && start == 0 && h.path("streams_state").asText().equals("RUNNING")) {
                start = now;
            }
            long seen = h == null ? 0 : h.path("events").asLong();
            if (start != 0 && marginStart == 0 && seen >= events / 10) {
                marginStart = now;
                marginEvents = seen;
            }
            if (h != null && start != 0 && h.path("pending_records").asLong(-1) == 0 && seen == events
                    && h.path("users").asLong() == users) {
                double marginal = now > marginStart ? (events - marginEvents) / ((now - marginStart) / 1e9) : Double.NaN;
                return new ProcessingRun(events / ((now - start) / 1e9), marginal);
            }
            Thread.sleep(50);
        }
    }

    /**
     * Appends the latency table of a query load (client-observed and server-side per endpoint),
     * the goal line and the answer cache's counts; returns the worst client-observed p99 (ms).
     */
    private double latencyTable(Latencies latencies) {
        double worst = 0;
        double worstServer = 0;
        report.append("Client-observed (load generator on the same 2 cores) and server-side (`Server-Timing`: time inside the API).\n\n")
                .append("| endpoint | p50 ms | p99 ms | max ms | server p50 ms | server p99 ms | requests/s |\n|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, List<Long>> e : latencies.client().entrySet()) {
            List<Long> server = latencies.server().get(e.getKey());
            double p99 = Stats.percentileMs(e.getValue(), 99);
            double serverP99 = Stats.percentileMs(server, 99);
            worst = Math.max(worst, p99);
            worstServer = Math.max(worstServer, serverP99);
            report.append(String.format("| `%s` | %.1f | %.1f | %.1f | %.2f | %.2f | %,.0f |%n", e.getKey(), Stats.percentileMs(e.getValue(), 50), p99,
                    Stats.percentileMs(e.getValue(), 100), Stats.percentileMs(server, 50), serverP99,
                    e.getValue().size() / (double) settings.querySeconds()));
        }
        report.append(String.format("%nGoal: p99 <= 10 ms for every endpoint; worst p99 here %.1f ms client-observed, %.2f ms server-side.%n%n",
                worst, worstServer));
        if (latencies.cache() != null) {
            AnswerCacheCounts c = latencies.cache();
            report.append(String.format("Answer cache meanwhile (all endpoints): %,.0f fresh hits, %,.0f stale answers served while refreshed"
                    + " in the background, %,.0f computed in the request (misses; concurrent requests for the same answer wait for it).%n%n",
                    c.hit(), c.stale(), c.miss()));
        }
        return worst;
    }

    /**
     * Each dashboard request, one at a time on one connection (keep-alive), as one dashboard
     * polling sees it: {@link #ONE_CONNECTION_WARM_UP} requests per endpoint, then {@link
     * #ONE_CONNECTION_REQUESTS} measured; server-side times and the answer cache's counts too,
     * as {@link #queryLoad} (none from a hello-world).
     */
    private static Latencies oneConnection(HttpProbe server) {
        HttpProbe client = new HttpProbe(server.base());
        Map<String, List<Long>> latencies = new LinkedHashMap<>();
        Map<String, List<Long>> serverSide = new LinkedHashMap<>();
        AnswerCacheCounts before = AnswerCacheCounts.parse(server.text("/metrics"));
        for (String path : DASHBOARD_MIX) {
            List<Long> took = new ArrayList<>();
            List<Long> inside = new ArrayList<>();
            for (int i = 0; i < ONE_CONNECTION_WARM_UP + ONE_CONNECTION_REQUESTS; i++) {
                long t0 = System.nanoTime();
                HttpProbe.Timed answer = client.timed(path);
                long t = System.nanoTime() - t0;
                if (answer.status() != 200) {
                    throw new IllegalStateException(path + " -> " + answer.status() + " on one connection");
                }
                if (i >= ONE_CONNECTION_WARM_UP) {
                    took.add(t);
                    inside.add(answer.serverNanos());
                }
            }
            latencies.put(path, took);
            serverSide.put(path, inside);
        }
        AnswerCacheCounts after = AnswerCacheCounts.parse(server.text("/metrics"));
        return new Latencies(latencies, serverSide, before == null || after == null ? null : after.since(before));
    }

    /** The application's requests on one connection, next to the hello-world's measured the same way. */
    private void oneConnectionSection(HttpProbe api, Latencies hello) {
        Latencies app = oneConnection(api);
        report.append(String.format("### Query latency on one connection (%d requests per endpoint, one at a time, after %d)%n%n",
                        ONE_CONNECTION_REQUESTS, ONE_CONNECTION_WARM_UP))
                .append("The hello-world baseline above, measured the same way before the application.\n\n")
                .append("| endpoint | p50 ms | p99 ms | server p50 ms | server p99 ms | hello-world p50 ms | hello-world p99 ms |\n")
                .append("|---|---|---|---|---|---|---|\n");
        for (String path : DASHBOARD_MIX) {
            List<Long> took = app.client().get(path);
            List<Long> server = app.server().get(path);
            List<Long> baseline = hello.client().get(path);
            report.append(String.format("| `%s` | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |%n", path, Stats.percentileMs(took, 50),
                    Stats.percentileMs(took, 99), Stats.percentileMs(server, 50), Stats.percentileMs(server, 99),
                    Stats.percentileMs(baseline, 50), Stats.percentileMs(baseline, 99)));
        }
        report.append("\nGoal: every request at least 100 times faster than the reference backend's (not run here).");
        if (app.cache() != null) {
            AnswerCacheCounts c = app.cache();
            report.append(String.format(" Answer cache meanwhile: %,.0f fresh hits, %,.0f stale, %,.0f computed in the request.",
                    c.hit(), c.stale(), c.miss()));
        }
        report.append("\n\n");
    }

    /**
     * The same query load while a fresh application processes the pre-filled topics from the
     * start (another application id, its own state), from once it has made {@link #BUSY_FROM}
     * of the events visible; reports how much it processed meanwhile, and whether it finished
     * before the load did (the rest of the load then met an idle application).
     */
    private void busySection(EmbeddedKafkaBroker broker, Topics loaded, int users, long events) throws Exception {
        int port = EmbeddedKafkaBroker.freePort();
        Path stateDir = settings.work().resolve("state-busy-" + users);
        ChildJvm app = startApp(broker, loaded, "bench-busy-" + users, stateDir, port);
        try {
            HttpProbe api = new HttpProbe("http://127.0.0.1:" + port);
            while (visibleEvents(api) < events * BUSY_FROM) {
                Thread.sleep(50);
            }
            long before = visibleEvents(api);
            long t0 = System.nanoTime();
            Latencies latencies = queryLoad(api);
            long after = visibleEvents(api);
            double seconds = (System.nanoTime() - t0) / 1e9;
            report.append(String.format("### Query latency while processing (%d concurrent clients, dashboard mix, %d s)%n%n",
                            settings.clients(), settings.querySeconds()))
                    .append(String.format("A fresh application processing the same topics from the start; the load began once %.0f%% of"
                                    + " the events were visible (%.1f%%), and meanwhile (%.1f s, warm-up included) the application made"
                                    + " %,.0f events/s visible, %.1f%% of the events at the end%s.%n%n",
                            BUSY_FROM * 100, 100.0 * before / events, seconds, (after - before) / seconds, 100.0 * after / events,
                            after == events ? " (it finished during the load: the rest of the load met an idle application)" : ""));
            latencyTable(latencies);
        } finally {
            ChildJvm.stopAll(List.of(app), Duration.ofSeconds(30));
            deleteRecursively(stateDir);
        }
    }

    /** Events the application shows (0 while it does not answer). */
    private static long visibleEvents(HttpProbe api) {
        JsonNode h = api.json("/api/health");
        return h == null ? 0 : h.path("events").asLong();
    }

    /**
     * The same query load, and the same requests on one connection, against {@link
     * HelloWorldServer} serving bodies of the application's answers' sizes.
     */
    private HelloWorldBaseline helloWorldBaseline(HttpProbe api) throws Exception {
        Path dir = settings.work().resolve("hello-world-bodies");
        Files.createDirectories(dir);
        for (int i = 0; i < DASHBOARD_MIX.size(); i++) {
            JsonNode answer = api.json(DASHBOARD_MIX.get(i));
            Files.writeString(dir.resolve(i + ".json"), answer == null ? "{}" : answer.toString());
        }
        Files.write(dir.resolve("paths.txt"), DASHBOARD_MIX);
        int port = EmbeddedKafkaBroker.freePort();
        ChildJvm hello = ChildJvm.start("hello-world", settings.work().resolve("hello-world.log"), List.of("-Xmx" + settings.appHeap()),
                HelloWorldServer.class.getName(), List.of(Integer.toString(port), dir.toString()));
        try {
            hello.awaitLine(HelloWorldServer.READY, Duration.ofMinutes(1));
            HttpProbe server = new HttpProbe("http://127.0.0.1:" + port);
            return new HelloWorldBaseline(queryLoad(server), oneConnection(server));
        } finally {
            ChildJvm.stopAll(List.of(hello), Duration.ofSeconds(10));
        }
    }

    /** Seconds from {@code start} until health shows every user and event and nothing pending. */
    private static double untilEverythingVisible(HttpProbe api, int users, long events, long start) throws InterruptedException {
        while (true) {
            JsonNode h = api.json("/api/health");
            if (h != null && h.path("streams_state").asText().equals("RUNNING") && h.path("pending_records").asLong(-1) == 0
                    && h.path("events").asLong() == events && h.path("users").asLong() == users) {
                return (System.nanoTime() - start) / 1e9;
            }
            Thread.sleep(200);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /**
     * Client-observed and server-side latencies per endpoint, and how the answer cache answered
     * meanwhile (null for a server without the application's metrics).
     */
    private record Latencies(Map<String, List<Long>> client, Map<String, List<Long>> server, AnswerCacheCounts cache) {
    }

    /** The hello-world's latencies under the dashboard mix's load and on one connection. */
    private record HelloWorldBaseline(Latencies underLoad, Latencies oneConnection) {
    }

    /** Requests of the answer cache by outcome, from the application's {@code /metrics}. */
    record AnswerCacheCounts(double hit, double stale, double miss) {
        private static final String METRIC = "vizsprints_answer_cache_requests_total";

        /** The counts a Prometheus scrape shows; null when it has none. */
        static AnswerCacheCounts parse(String scrape) {
            if (scrape == null) {
                return null;
            }
            double[] counts = new double[3];
            List<String> outcomes = List.of("hit", "stale", "miss");
            boolean found = false;
            for (String line : scrape.lines().toList()) {
                if (line.startsWith(METRIC + "{")) {
                    for (int i = 0; i < outcomes.size(); i++) {
                        if (line.contains("result=\"" + outcomes.get(i) + "\"")) {
                            counts[i] += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                            found = true;
                        }
                    }
                }
            }
            return found ? new AnswerCacheCounts(counts[0], counts[1], counts[2]) : null;
        }

        AnswerCacheCounts since(AnswerCacheCounts before) {
            return new AnswerCacheCounts(hit - before.hit, stale - before.stale, miss - before.miss);
        }
    }

    private Latencies queryLoad(HttpProbe api) throws InterruptedException {
        Map<String, List<Long>> latencies = new LinkedHashMap<>();
        Map<String, List<Long>> serverSide = new LinkedHashMap<>();
        DASHBOARD_MIX.forEach(p -> latencies.put(p, new CopyOnWriteArrayList<>()));
        DASHBOARD_MIX.forEach(p -> serverSide.put(p, new CopyOnWriteArrayList<>()));
        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(settings.clients());
        List<String> errors = new CopyOnWriteArrayList<>();
        for (int c = 0; c < settings.clients(); c++) {
            int offset = c;
            pool.submit(() -> {
                HttpProbe client = new HttpProbe(api.base());
                int i = offset;
                while (running.get()) {
                    String path = DASHBOARD_MIX.get(i++ % DASHBOARD_MIX.size());
                    long t0 = System.nanoTime();
                    HttpProbe.Timed answer = client.timed(path);
                    long took = System.nanoTime() - t0;
                    if (answer.status() != 200) {
                        errors.add(path + " -> " + answer.status());
                    } else if (measuring.get()) {
                        latencies.get(path).add(took);
                        serverSide.get(path).add(answer.serverNanos());
                    }
                }
            });
        }
        Thread.sleep(3000);
        AnswerCacheCounts before = AnswerCacheCounts.parse(api.text("/metrics"));
        measuring.set(true);
        Thread.sleep(settings.querySeconds() * 1000L);
        measuring.set(false);
        AnswerCacheCounts after = AnswerCacheCounts.parse(api.text("/metrics"));
        running.set(false);
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.MINUTES);
        if (!errors.isEmpty()) {
            throw new IllegalStateException(errors.size() + " failed requests under load, first: " + errors.get(0));
        }
        return new Latencies(latencies, serverSide, before == null || after == null ? null : after.since(before));
    }

    /**
     * The same query load with {@code --streams} dashboards listening on {@code /api/stream}
     * (each gets the six current answers first, then only changes): the streams are opened from
     * here, without a thread each, and stay open while the load runs.
     */
    private void streamsSection(HttpProbe api, Latencies without) throws InterruptedException {
        int n = settings.streams();
        if (n <= 0) {
            return;
        }
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        java.util.concurrent.atomic.AtomicLong events = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicInteger failed = new java.util.concurrent.atomic.AtomicInteger();
        List<java.util.concurrent.Flow.Subscription> subscriptions = new CopyOnWriteArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(api.base() + "/api/stream"))
                    .header("Accept", "text/event-stream").GET().build();
            client.sendAsync(request, java.net.http.HttpResponse.BodyHandlers.fromLineSubscriber(new java.util.concurrent.Flow.Subscriber<String>() {
                @Override
                public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
                    subscriptions.add(s);
                    s.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(String line) {
                    if (line.startsWith("event:")) {
                        events.incrementAndGet();
                    }
                }

                @Override
                public void onError(Throwable t) {
                    failed.incrementAndGet();
                }

                @Override
                public void onComplete() {
                }
            })).exceptionally(t -> {
                failed.incrementAndGet();
                return null;
            });
        }
        long expected = 6L * n;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (events.get() < expected && System.nanoTime() < deadline && failed.get() == 0) {
            Thread.sleep(10);
        }
        double connectSeconds = (System.nanoTime() - t0) / 1e9;
        long initial = events.get();
        Latencies with = queryLoad(api);
        int stillOpen = subscriptions.size() - failed.get();
        report.append(String.format("### Query latency with %,d open streams (`/api/stream`)%n%n", n))
                .append(String.format("%,d streams opened and %,d of %,d initial answers (6 each) received in %.1f s; %,d failed; "
                        + "then the same %d-client dashboard mix for %d s while all stay open (%,d still open after it).%n%n",
                        subscriptions.size(), initial, expected, connectSeconds, failed.get(), settings.clients(), settings.querySeconds(), stillOpen))
                .append("| endpoint | p99 ms, no stream | p99 ms, with streams | server p99 ms, no stream | server p99 ms, with streams |\n|---|---|---|---|---|\n");
        for (String path : DASHBOARD_MIX) {
            report.append(String.format("| `%s` | %.1f | %.1f | %.2f | %.2f |%n", path, Stats.percentileMs(without.client().get(path), 99),
                    Stats.percentileMs(with.client().get(path), 99), Stats.percentileMs(without.server().get(path), 99),
                    Stats.percentileMs(with.server().get(path), 99)));
        }
        report.append('\n');
        subscriptions.forEach(java.util.concurrent.Flow.Subscription::cancel);
    }

    /** Runs {@link #freshness} and appends its section to the report. */
    private void freshnessSection(EmbeddedKafkaBroker broker, Path data) throws Exception {
        Freshness freshness = freshness(broker, data);
        report.append(String.format("### Freshness (%d probes during a replay %s)%n%n", freshness.probes(),
                        (settings.steadyRate() > 0 ? String.format("at %,d events/s", settings.steadyRate()) : "at full speed")
                                + (settings.replayMaxLag() != null ? ", held back to about " + settings.replayMaxLag()
                                + " ahead of the application (`replay --max-lag " + settings.replayMaxLag() + "`)" : "")))
                .append(freshness.reportLines())
                .append("- a probe is one event of a user of its own, produced with acks=all; visible = `/api/events?user_id=<probe>` lists it"
                        + " (the same processing step also updates every counter /api/metrics reads); probes go one at a time,"
                        + " each waiting until visible (at most " + PROBE_DEADLINE_SECONDS + " s), from "
                        + PROBE_WARM_UP_SECONDS + " s after the replay starts until it has published everything\n");
    }

    /**
     * Produces probe events (one user each) during a steady replay of the data into fresh
     * topics for a fresh application, and times broker ack to visibility.
     */
    private Freshness freshness(EmbeddedKafkaBroker broker, Path data) throws Exception {
        Topics topics = new Topics("bench-fresh.users", "bench-fresh.events", "bench-fresh.dlq");
        int port = EmbeddedKafkaBroker.freePort();
        String appId = "bench-fresh-" + System.nanoTime();
        ChildJvm app = startApp(broker, topics, appId, settings.work().resolve("state-fresh-" + System.nanoTime()), port);
        HttpProbe api = new HttpProbe("http://127.0.0.1:" + port);
        while (api.json("/api/health") == null || !api.json("/api/health").path("streams_state").asText().equals("RUNNING")) {
            Thread.sleep(100);
        }
        Thread replay = new Thread(() -> {
            try {
                ReplayTool.run(new ReplayOptions(broker.bootstrapServers(), data.resolve("users.csv"), data.resolve("events.csv"),
                        partitions, 1, topics).withRatePerSecond(settings.steadyRate())
                        .withBackpressure(settings.replayMaxLag() != null ? Backpressure.parse(appId, settings.replayMaxLag()) : Backpressure.NONE));
            } catch (Exception e) {
                log.println("bench: steady replay ended: " + e);
            }
        }, "bench-steady-replay");
        replay.setDaemon(true);
        replay.start();
        Thread.sleep(TimeUnit.SECONDS.toMillis(PROBE_WARM_UP_SECONDS));
        List<Long> latencies = new ArrayList<>();
        int invisible = 0;
        long firstEvents = visibleEvents(api);
        long firstProbe = System.nanoTime();
        long processedDuringProbes = 0;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(TopicPublisher.producerConfig(broker.bootstrapServers()))) {
            for (int i = 0; i < settings.probes() && replay.isAlive(); i++) {
                String user = "probe-" + System.nanoTime();
                EventRecord e = new EventRecord("probe-event-" + user, user, "probe", "2023-06-15T12:00:00Z", "{}", Long.MAX_VALUE / 2 + i);
                producer.send(new ProducerRecord<>(topics.events(), user, JsonSerdes.event().serializer().serialize(topics.events(), e))).get();
                long acked = System.nanoTime();
                long deadline = acked + TimeUnit.SECONDS.toNanos(PROBE_DEADLINE_SECONDS);
                boolean visible = false;
                while (!visible && System.nanoTime() < deadline) {
                    JsonNode r = api.json("/api/events?user_id=" + user);
                    visible = r != null && r.path("total").asLong() == 1;
                    if (visible) {
                        long latency = System.nanoTime() - acked;
                        latencies.add(latency);
                        if (latency > TimeUnit.MILLISECONDS.toNanos(500)) {
                            log.printf("bench: probe %d visible after %.0f ms, %.1f s into the replay%n", i, latency / 1e6,
                                    (System.nanoTime() - firstProbe) / 1e9 + PROBE_WARM_UP_SECONDS);
                        }
                    } else {
                        Thread.sleep(2);
                    }
                }
                if (!visible) {
                    invisible++;
                }
                Thread.sleep(20);
            }
            processedDuringProbes = Math.max(0, visibleEvents(api) - firstEvents);
        } finally {
            replay.interrupt();
            ChildJvm.stopAll(List.of(app), Duration.ofSeconds(30));
        }
        return new Freshness(latencies, invisible, processedDuringProbes / ((System.nanoTime() - firstProbe) / 1e9));
    }

    /**
     * Probe latencies (ns) of the probes that became visible, how many did not within the deadline,
     * and the events per second that became visible meanwhile (the load the probes met).
     */
    private record Freshness(List<Long> visible, int invisible, double eventsPerSecond) {
        int probes() {
            return visible.size() + invisible;
        }

        /** The report's lines on the probes' latencies, and on the probes that never became visible. */
        String reportLines() {
            if (probes() == 0) {
                return "- no probe: the replay had finished publishing before the first probe (probes start "
                        + PROBE_WARM_UP_SECONDS + " s after it)\n";
            }
            StringBuilder lines = new StringBuilder();
            if (!visible.isEmpty()) {
                lines.append(String.format("- broker ack to visible: p50 %.0f ms, p99 %.0f ms, max %.0f ms (goal p99 <= 500 ms)%n",
                        Stats.percentileMs(visible, 50), Stats.percentileMs(visible, 99), Stats.percentileMs(visible, 100)));
            }
            lines.append(String.format("- meanwhile the application made %,.0f events/s visible%n", eventsPerSecond));
            if (invisible > 0) {
                lines.append(String.format("- %d probe(s) not visible within %d s (left out of the figures above, which are then lower bounds)%n",
                        invisible, PROBE_DEADLINE_SECONDS));
            }
            return lines.toString();
        }
    }

    private static final long PROBE_WARM_UP_SECONDS = 1;
    private static final long PROBE_DEADLINE_SECONDS = 30;

    private static double rssMb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
        } catch (IOException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    private static double duMb(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum() / 1e6;
        }
    }
}
