package com.vizsprints.streams.replay;

import com.vizsprints.streams.processor.model.EventRecord;
import com.vizsprints.streams.processor.model.UserRecord;
import com.vizsprints.streams.processor.schema.JsonSerdes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.serialization.Serializer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Replays users.csv and then events.csv into their Kafka topics: creates the topics that are
 * missing, publishes every valid row keyed by user_id with its position in the file, and
 * reports the rows it rejected. Usable as a library; {@link ReplayApp} is its command line.
 */
public final class ReplayTool {
    /** How many rejected rows a {@link ReplaySummary} keeps (the counts are always exact). */
    public static final int KEPT_REJECTED_ROWS = 1000;

    private ReplayTool() {
    }

    /** As {@link #run(ReplayOptions, ReplayListener)} without a listener. */
    public static ReplaySummary run(ReplayOptions options) throws IOException {
        return run(options, ReplayListener.NONE);
    }

    /**
     * Runs a replay. The input files' headers are checked before anything is sent, and the users
     * are all acknowledged (or failed) before the first event is sent.
     *
     * @throws NoSuchFileException when an input file does not exist
     * @throws BadHeaderException  when an input file does not start with its expected header
     * @throws IOException         when an input file cannot be read
     * @throws ReplayException     when Kafka cannot be reached or the topics cannot be set up
     */
    public static ReplaySummary run(ReplayOptions options, ReplayListener listener) throws IOException {
        checkInputs(options);
        try (TopicPublisher publisher = TopicPublisher.connect(options.bootstrapServers(), options.clientProperties())) {
            publisher.setUpTopics(options.topics(), options.partitions(), options.replicationFactor(), options.createTopics())
                    .forEach(listener::info);
            if (!options.backpressure().enabled()) {
                return publish(options, publisher, listener, LagGate.none());
            }
            try (Admin admin = publisher.newAdmin()) {
                ConsumerGroupLag lag = ConsumerGroupLag.of(admin, options.backpressure().applicationId(),
                        List.of(options.topics().users(), options.topics().events()));
                return publish(options, publisher, listener, new LagGate(options.backpressure(), lag, publisher::unanswered, listener::info));
            }
        }
    }

    /**
     * Checks that the input files exist and start with their headers.
     *
     * @throws NoSuchFileException when an input file does not exist
     * @throws BadHeaderException  when an input file does not start with its expected header
     */
    public static void checkInputs(ReplayOptions options) throws IOException {
        if (options.usersFile() != null) {
            checkInput(options.usersFile(), UsersCsv.LAYOUT);
        }
        if (options.eventsFile() != null) {
            checkInput(options.eventsFile(), EventsCsv.LAYOUT);
        }
    }

    private static void checkInput(Path file, CsvLayout<?> layout) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, layout.name() + " file not found");
        }
        CsvRecords.checkHeader(file, layout);
    }

    /** Publishes the input files through {@code publisher}, whose topics are already set up. */
    static ReplaySummary publish(ReplayOptions options, TopicPublisher publisher, ReplayListener listener) throws IOException {
        return publish(options, publisher, listener, LagGate.none());
    }

    /**
     * Publishes the input files through {@code publisher}, whose topics are already set up, each
     * record when {@code gate} lets it.
     */
    static ReplaySummary publish(ReplayOptions options, TopicPublisher publisher, ReplayListener listener, LagGate gate)
            throws IOException {
        long start = System.nanoTime();
        List<RejectedRow> kept = new ArrayList<>();
        Consumer<RejectedRow> onRejected = row -> {
            if (kept.size() < KEPT_REJECTED_ROWS) {
                kept.add(row);
            }
            listener.rejected(row);
        };
        String[] abortReason = {null};
        FileSummary users = null;
        FileSummary events = null;
        Throttle throttle = new Throttle(options.ratePerSecond());
        EventClock clock = new EventClock(options.speed());
        ReplayProgress progress = new ReplayProgress(java.util.stream.Stream.of(options.usersFile(), options.eventsFile())
                .filter(java.util.Objects::nonNull).toList());
        listener.started(progress);
        if (!options.usersAfterEvents() && options.usersFile() != null) {
            users = publishFile(options.usersFile(), UsersCsv.LAYOUT, options.topics().users(), UserRecord::userId,
                    JsonSerdes.user().serializer(), publisher, onRejected, abortReason, throttle, gate, progress, null);
        }
        if (options.eventsFile() != null) {
            events = abortReason[0] != null
                    ? notRead(EventsCsv.LAYOUT, options.eventsFile(), options.topics().events())
                    : publishFile(options.eventsFile(), EventsCsv.LAYOUT, options.topics().events(),
                    EventRecord::userId, JsonSerdes.event().serializer(), publisher, onRejected, abortReason, throttle, gate, progress,
                    record -> clock.await(record.timestamp()));
        }
        if (options.usersAfterEvents() && options.usersFile() != null) {
            users = abortReason[0] != null
                    ? notRead(UsersCsv.LAYOUT, options.usersFile(), options.topics().users())
                    : publishFile(options.usersFile(), UsersCsv.LAYOUT, options.topics().users(), UserRecord::userId,
                    JsonSerdes.user().serializer(), publisher, onRejected, abortReason, throttle, gate, progress, null);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        return new ReplaySummary(users, events, kept, elapsed, abortReason[0]);
    }

    private static <T> FileSummary publishFile(Path file, CsvLayout<T> layout, String topic, Function<T, String> key,
                                               Serializer<T> serializer, TopicPublisher publisher,
                                               Consumer<RejectedRow> onRejected, String[] abortReason,
                                               Throttle throttle, LagGate gate, ReplayProgress progress,
                                               Consumer<T> pace) throws IOException {
        DeliveryTally tally = new DeliveryTally();
        progress.startFile(tally);
        long[] accepted = {0};
        long[] rejected = {0};
        boolean complete = false;
        try {
            CsvRecords.read(file, layout, record -> {
                accepted[0]++;
                progress.rowRead();
                if (pace != null) {
                    pace.accept(record);
                }
                throttle.acquire();
                gate.acquire();
                publisher.send(topic, key.apply(record), record, serializer, tally);
            }, row -> {
                rejected[0]++;
                progress.rowRejected();
                onRejected.accept(row);
            });
            complete = true;
        } catch (ReplayException e) {
            abortReason[0] = e.getMessage();
        } finally {
            publisher.flush();
        }
        return new FileSummary(layout.name(), file.toString(), topic, accepted[0] + rejected[0],
                tally.acknowledged(), rejected[0], tally.failed(), tally.firstFailure().orElse(null), complete);
    }

    private static FileSummary notRead(CsvLayout<?> layout, Path file, String topic) {
        return new FileSummary(layout.name(), file.toString(), topic, 0, 0, 0, 0, null, false);
    }
}
