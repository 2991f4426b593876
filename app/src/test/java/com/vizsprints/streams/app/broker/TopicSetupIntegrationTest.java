package com.vizsprints.streams.app.broker;

import com.vizsprints.streams.processor.schema.TopicSetup;
import com.vizsprints.streams.processor.schema.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Topic setup against a real broker: several instances at once, topic creation off, co-partitioning. */
@Tag("integration")
class TopicSetupIntegrationTest {
    @TempDir
    static Path dir;
    static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.start(0, dir.resolve("broker"));
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    @Test
    void severalInstancesSettingUpAtOnceAllSucceedWithOneSetOfTopics() throws Exception {
        Topics topics = new Topics("race.users", "race.events", "race.dead-letter");
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                results.add(pool.submit((Callable<List<String>>) () -> {
                    try (Admin admin = admin()) {
                        return TopicSetup.ensureTopics(admin, topics, 4, (short) 1);
                    }
                }));
            }
            int created = 0;
            for (Future<List<String>> r : results) {
                created += (int) r.get().stream().filter(n -> n.startsWith("created topic race.events")).count();
            }
            assertEquals(1, created, "one instance created the events topic, the others took it as it was");
        } finally {
            pool.shutdownNow();
        }
        try (Admin admin = admin()) {
            Map<String, TopicDescription> d = admin.describeTopics(List.of(topics.users(), topics.events())).allTopicNames().get();
            assertEquals(4, d.get(topics.users()).partitions().size());
            assertEquals(4, d.get(topics.events()).partitions().size());
            d.values().forEach(t -> t.partitions().forEach(p -> assertTrue(p.leader() != null && p.leader().id() >= 0, t.name())));
            List<String> notes = TopicSetup.checkTopics(admin, topics, Duration.ofSeconds(30));
            assertEquals(List.of("topic race.users exists (4 partitions)", "topic race.events exists (4 partitions)",
                    "topic race.dead-letter exists"), notes);
        }
    }

    @Test
    void checkingWithoutCreatingNamesWhatIsWrong() throws Exception {
        try (Admin admin = admin()) {
            Topics missing = new Topics("none.users", "none.events", "none.dead-letter");
            TopicSetup.TopicSetupException e = assertThrows(TopicSetup.TopicSetupException.class,
                    () -> TopicSetup.checkTopics(admin, missing, Duration.ofSeconds(10)));
            assertEquals("check topic none.users", e.step());
            assertTrue(e.getMessage().contains("topic none.users does not exist"), e.getMessage());
            assertTrue(admin.listTopics().names().get().stream().noneMatch(n -> n.startsWith("none.")), "nothing created");

            admin.createTopics(List.of(new NewTopic("skew.users", 2, (short) 1), new NewTopic("skew.events", 3, (short) 1),
                    new NewTopic("skew.dead-letter", 1, (short) 1))).all().get();
            Topics skew = new Topics("skew.users", "skew.events", "skew.dead-letter");
            e = assertThrows(TopicSetup.TopicSetupException.class, () -> TopicSetup.checkTopics(admin, skew, Duration.ofSeconds(10)));
            assertTrue(e.getMessage().contains("skew.users (2 partitions) and skew.events (3 partitions)"), e.getMessage());
            e = assertThrows(TopicSetup.TopicSetupException.class, () -> TopicSetup.ensureTopics(admin, skew, 2, (short) 1));
            assertTrue(e.getMessage().contains("co-partition"), e.getMessage());
        }
    }
}
