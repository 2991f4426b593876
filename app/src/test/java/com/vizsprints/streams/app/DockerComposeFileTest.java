package com.vizsprints.streams.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.vizsprints.streams.processor.schema.Topics;
import com.vizsprints.streams.replay.ReplayCommand;
import com.vizsprints.streams.replay.ReplayOptions;
import com.vizsprints.streams.replay.UsageException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps docker-compose.yml and the Dockerfile (which cannot run in CI: no Docker engine) honest:
 * the command lines parse with the real CLI parsers, images are pinned (Kafka at the pom's
 * {@code kafka.version}), the image builds its own jars and checks {@code /readyz}, and the Kafka
 * cluster's quorum and replication settings match {@link ClusterCommand}'s.
 */
class DockerComposeFileTest {
    private static final List<String> KAFKA = List.of("kafka-1", "kafka-2", "kafka-3");
    private static final List<String> APPS = List.of("app-1", "app-2");
    /** The apache/kafka image's documented variables this deployment must set. */
    private static final Set<String> REQUIRED_KAFKA_ENV = Set.of("KAFKA_NODE_ID", "KAFKA_PROCESS_ROLES",
        "KAFKA_CONTROLLER_QUORUM_VOTERS", "KAFKA_LISTENERS", "KAFKA_ADVERTISED_LISTENERS", "KAFKA_CONTROLLER_LISTENER_NAMES",
        "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "CLUSTER_ID", "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR",
        "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "KAFKA_MIN_INSYNC_REPLICAS",
        "KAFKA_DEFAULT_REPLICATION_FACTOR");
    /** Also allowed: used in the image's own example compose files (docker/examples in apache/kafka). */
    private static final Set<String> OPTIONAL_KAFKA_ENV = Set.of("KAFKA_INTER_BROKER_LISTENER_NAME", "KAFKA_LOG_DIRS",
        "KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS");

    private static Path root;
    private static JsonNode services;

    @BeforeAll
    static void parse() throws Exception {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("docker-compose.yml"))) {
            dir = dir.getParent();
        }
        assertNotNull(dir, "docker-compose.yml not found above " + Path.of("").toAbsolutePath());
        root = dir;
        services = new YAMLMapper().readTree(root.resolve("docker-compose.yml").toFile()).path("services");
    }

    @Test
    void hasTheServices() {
        for (String name : List.of("kafka-1", "kafka-2", "kafka-3", "topic-init", "app-1", "app-2", "replay")) {
            assertTrue(services.has(name), "service " + name);
        }
    }

    @Test
    void everyImageIsPinned() throws Exception {
        services.fields().forEachRemaining(e -> assertPinned(e.getValue().path("image").asText(null), "service " + e.getKey()));
        String kafkaImage = "apache/kafka:" + pomKafkaVersion();
        KAFKA.forEach(k -> assertEquals(kafkaImage, service(k).path("image").asText(), k + " runs the pom's Kafka version"));
        assertEquals(kafkaImage, service("topic-init").path("image").asText());
        List<String> froms = Files.readAllLines(root.resolve("Dockerfile")).stream()
            .filter(l -> l.trim().toUpperCase().startsWith("FROM ")).toList();
        assertFalse(froms.isEmpty(), "Dockerfile has a FROM");
        froms.forEach(l -> assertPinned(l.trim().split("\\s+")[1], "Dockerfile " + l));
    }

    @Test
    void dockerfileBuildsTheJarsItselfAndChecksReadiness() throws Exception {
        String dockerfile = Files.readString(root.resolve("Dockerfile"));
        List<String> froms = dockerfile.lines().filter(l -> l.startsWith("FROM ")).toList();
        assertEquals(2, froms.size(), "multi-stage: " + froms);
        assertTrue(froms.get(0).matches("FROM maven:3\\.9[^ ]*-eclipse-temurin-17 AS build"), froms.get(0));
        assertTrue(dockerfile.contains("mvn -B -q -DskipTests -pl app -am package"), "the build stage packages the jars");
        assertTrue(dockerfile.contains("COPY --from=build /src/app/target/app-0.1.0-SNAPSHOT.jar "), dockerfile);
        assertTrue(dockerfile.contains("COPY --from=build /src/app/target/lib/ "), dockerfile);
        assertFalse(dockerfile.lines().anyMatch(l -> l.startsWith("COPY app/target") || l.startsWith("COPY query-api/target")), "no jar from a host build");
        assertTrue(dockerfile.contains("\"" + Main.class.getName() + "\""), "ENTRYPOINT runs " + Main.class.getName());
        assertTrue(dockerfile.contains("\"-XX:MaxRAMPercentage=75\""), "heap follows the container's memory limit");
        assertTrue(dockerfile.contains("\"-XX:+ExitOnOutOfMemoryError\""), "OOM ends the process");
        String healthcheck = dockerfile.substring(dockerfile.indexOf("HEALTHCHECK"));
        healthcheck = healthcheck.substring(0, healthcheck.indexOf("]") + 1);
        assertTrue(healthcheck.contains("GET /readyz") && healthcheck.contains("127.0.0.1/5000") && healthcheck.contains(" 200 "),
            "HEALTHCHECK asks /readyz for a 200: " + healthcheck);
        // The default command parses with the real serve flags, and serves where the HEALTHCHECK and EXPOSE say.
        String cmd = dockerfile.substring(dockerfile.indexOf("\nCMD ") + 5).replace("\\\n", " ");
        List<String> command = new ArrayList<>();
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(cmd.substring(0, cmd.indexOf("]") + 1)).forEach(n -> command.add(n.asText()));
        assertEquals("serve", command.get(0));
        String[] args = command.subList(1, command.size()).toArray(String[]::new);
        AnalyticsApplication.Settings s = ServeCommand.parse(args);
        assertEquals(5000, s.port());
        assertTrue(dockerfile.contains("EXPOSE " + s.port() + " " + s.peer().port()), "EXPOSE the public and the peer port");
        for (String name : List.of("app-1", "app-2", "replay")) {
            assertEquals(".", service(name).path("build").asText(), name + " builds the root Dockerfile");
        }
        String ignore = Files.readString(root.resolve(".dockerignore"));
        assertTrue(ignore.contains("**/target"), "host build output stays out of the build context");
    }

    @Test
    void brokersOfferTheHostAListenerOnLoopback() {
        Set<String> hostPorts = new TreeSet<>();
        for (String name : KAFKA) {
            Map<String, String> env = env(service(name));
            assertTrue(List.of(env.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP").split(",")).contains("EXTERNAL:PLAINTEXT"), name);
            Matcher listener = Pattern.compile("EXTERNAL://:(\\d+)").matcher(env.get("KAFKA_LISTENERS"));
            assertTrue(listener.find(), name + " has an EXTERNAL listener");
            Matcher advertised = Pattern.compile("EXTERNAL://localhost:(\\d+)").matcher(env.get("KAFKA_ADVERTISED_LISTENERS"));
            assertTrue(advertised.find(), name + " advertises localhost to the host");
            String published = "127.0.0.1:" + advertised.group(1) + ":" + listener.group(1);
            assertEquals(List.of(published), strings(service(name).path("ports")), name + " publishes its EXTERNAL listener on loopback");
            hostPorts.add(advertised.group(1));
        }
        assertEquals(KAFKA.size(), hostPorts.size(), "one host port per broker: " + hostPorts);
    }

    @Test
    void kafkaServicesUseOnlyDocumentedVariablesAndOneStaticQuorum() {
        Map<Integer, String> expectedVoters = Map.of(1, "kafka-1", 2, "kafka-2", 3, "kafka-3");
        Set<String> voterLists = new TreeSet<>();
        Set<String> clusterIds = new TreeSet<>();
        for (int i = 0; i < KAFKA.size(); i++) {
            String name = KAFKA.get(i);
            Map<String, String> env = env(service(name));
            Set<String> unknown = new TreeSet<>(env.keySet());
            unknown.removeAll(REQUIRED_KAFKA_ENV);
            unknown.removeAll(OPTIONAL_KAFKA_ENV);
            assertTrue(unknown.isEmpty(), name + " sets undocumented variables " + unknown);
            assertTrue(env.keySet().containsAll(REQUIRED_KAFKA_ENV), name + " lacks some of " + REQUIRED_KAFKA_ENV);

            assertEquals(Integer.toString(i + 1), env.get("KAFKA_NODE_ID"), name);
            assertEquals("broker,controller", env.get("KAFKA_PROCESS_ROLES"), name);
            String voters = env.get("KAFKA_CONTROLLER_QUORUM_VOTERS");
            voterLists.add(voters);
            Map<Integer, String> hosts = new HashMap<>();
            for (String v : voters.split(",")) {
                Matcher m = Pattern.compile("(\\d+)@([^:]+):(\\d+)").matcher(v.trim());
                assertTrue(m.matches(), "voter " + v);
                hosts.put(Integer.parseInt(m.group(1)), m.group(2));
                if (Integer.parseInt(m.group(1)) == i + 1) {
                    assertTrue(env.get("KAFKA_LISTENERS").contains("CONTROLLER://:" + m.group(3)),
                        name + " listens for the controller quorum on its voter port " + m.group(3));
                }
            }
            assertEquals(expectedVoters, hosts, "the quorum names all three brokers");
            assertEquals("PLAINTEXT://" + name + ":9092", env.get("KAFKA_ADVERTISED_LISTENERS").split(",")[0], name);
            assertEquals("CONTROLLER", env.get("KAFKA_CONTROLLER_LISTENER_NAMES"), name);
            clusterIds.add(env.get("CLUSTER_ID"));
            Uuid.fromString(env.get("CLUSTER_ID")); // a valid Kafka cluster id

            String rf = Integer.toString(ClusterCommand.REPLICATION_FACTOR);
            String minIsr = Integer.toString(ClusterCommand.MIN_INSYNC_REPLICAS);
            assertEquals(rf, env.get("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"), name);
            assertEquals(rf, env.get("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR"), name);
            assertEquals(rf, env.get("KAFKA_DEFAULT_REPLICATION_FACTOR"), name);
            assertEquals(minIsr, env.get("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR"), name);
            assertEquals(minIsr, env.get("KAFKA_MIN_INSYNC_REPLICAS"), name);

            assertTrue(service(name).path("healthcheck").path("test").toString().contains("kafka-broker-api-versions.sh"),
                name + " health check");
        }
        assertEquals(1, voterLists.size(), "all brokers share one voter list: " + voterLists);
        assertEquals(1, clusterIds.size(), "all brokers share one cluster id: " + clusterIds);
    }

    @Test
    void clusterConstantsAreThreeReplicasTwoInSync() {
        assertEquals(3, ClusterCommand.REPLICATION_FACTOR);
        assertEquals(2, ClusterCommand.MIN_INSYNC_REPLICAS);
    }

    @Test
    void topicInitCreatesThePipelineTopicsReplicated() {
        JsonNode init = service("topic-init");
        KAFKA.forEach(k -> assertEquals("service_healthy", init.path("depends_on").path(k).path("condition").asText(),
            "topic-init waits for healthy " + k));
        String script = String.join("\n", strings(init.path("command")));
        Map<String, Map<String, List<String>>> created = new LinkedHashMap<>();
        for (String line : script.split("\n")) {
            List<String> words = Arrays.asList(line.trim().split("\\s+"));
            if (!words.get(0).endsWith("/kafka-topics.sh") || !words.contains("--create")) {
                continue;
            }
            Map<String, List<String>> opts = new HashMap<>();
            for (int i = 1; i < words.size(); i++) {
                if (words.get(i).startsWith("--") && i + 1 < words.size() && !words.get(i + 1).startsWith("--")) {
                    opts.computeIfAbsent(words.get(i), k -> new ArrayList<>()).add(words.get(++i));
                }
            }
            assertEquals(List.of(bootstrapOfKafkaServices()), opts.get("--bootstrap-server"), line);
            created.put(opts.get("--topic").get(0), opts);
        }
        assertEquals(Set.of(Topics.DEFAULT_USERS, Topics.DEFAULT_EVENTS, Topics.DEFAULT_DEAD_LETTER), created.keySet());
        created.forEach((topic, opts) -> {
            assertEquals(List.of(Integer.toString(ClusterCommand.PARTITIONS)), opts.get("--partitions"), topic);
            assertEquals(List.of(Integer.toString(ClusterCommand.REPLICATION_FACTOR)), opts.get("--replication-factor"), topic);
            assertTrue(opts.get("--config").contains("min.insync.replicas=" + ClusterCommand.MIN_INSYNC_REPLICAS), topic);
        });
        assertTrue(created.get(Topics.DEFAULT_USERS).get("--config").contains("cleanup.policy=compact"), "users compacted");
    }

    @Test
    void appCommandsParseWithServeFlags() {
        for (String name : APPS) {
            JsonNode app = service(name);
            List<String> command = strings(app.path("command"));
            assertEquals("serve", command.get(0), name);
            String[] args = command.subList(1, command.size()).toArray(String[]::new);
            for (String a : args) {
                if (a.startsWith("--")) {
                    String flag = a.substring(2).split("=", 2)[0];
                    assertTrue(ServeCommand.FLAGS.contains(flag), name + ": --" + flag + " is not a serve flag " + ServeCommand.FLAGS);
                }
            }
            AnalyticsApplication.Settings s = ServeCommand.parse(args);
            assertEquals(bootstrapOfKafkaServices(), s.processor().bootstrapServers(), name);
            assertEquals("0.0.0.0", s.host(), name + " binds all interfaces");
            assertEquals(name, s.advertised(), name + " advertises its resolvable container name");
            assertEquals(name, app.path("hostname").asText(name), name);
            assertEquals(ClusterCommand.REPLICATION_FACTOR, s.processor().replicationFactor(), name);
            assertEquals(ClusterCommand.PARTITIONS, s.partitions(), name);
            assertEquals(ClusterCommand.STANDBY_REPLICAS, s.processor().standbyReplicas(), name);
            List<String> ports = strings(app.path("ports"));
            assertEquals(1, ports.size(), name + " ports " + ports);
            assertTrue(ports.get(0).endsWith(":" + s.port()), name + " publishes its HTTP port " + s.port() + ": " + ports);
            assertEquals("service_completed_successfully",
                app.path("depends_on").path("topic-init").path("condition").asText(), name + " waits for topic-init");
            String health = String.join(" ", strings(app.path("healthcheck").path("test")));
            assertTrue(health.contains("GET /readyz") && health.contains("/" + s.port()) && health.contains(" 200 "), name + " health: " + health);
            assertTrue(s.peer().port() > 0 && s.peer().port() != s.port(), name + " has a fixed peer port of its own");
            assertFalse(ports.get(0).contains(Integer.toString(s.peer().port())), name + " does not publish its peer port");
            assertTrue(env(app).containsKey("VIZSPRINTS_PEER_SECRET"), name + " passes the deployment's peer secret");
        }
        assertEquals(List.of("5000:5000"), strings(service("app-1").path("ports")), "dashboard on 5000");
        assertEquals(List.of("5001:5000"), strings(service("app-2").path("ports")));
    }

    @Test
    void replayCommandParsesWithReplayCommand() throws UsageException {
        JsonNode replay = service("replay");
        List<String> volumes = strings(replay.path("volumes"));
        assertEquals(List.of("./data/sample:/data:ro"), volumes, "the repository's sample data");
        Path hostData = root.resolve("data/sample").normalize();
        List<String> command = strings(replay.path("command"));
        assertEquals("replay", command.get(0));
        List<String> args = new ArrayList<>();
        for (String a : command.subList(1, command.size())) {
            if (a.startsWith("--")) {
                assertNotNull(ReplayCommand.create(Map.of(), System.out, System.err).getCommandSpec().findOption(a.split("=", 2)[0]),
                        a + " is not a replay option");
            }
            // The container sees the mounted host folder at /data: check the files really exist.
            args.add(a.startsWith("/data/") ? hostData.resolve(a.substring("/data/".length())).toString() : a);
        }
        ReplayOptions options = ReplayCommand.parse(args.toArray(String[]::new));
        assertEquals(bootstrapOfKafkaServices(), options.bootstrapServers());
        assertNotNull(options.usersFile());
        assertNotNull(options.eventsFile());
        assertEquals(ClusterCommand.PARTITIONS, options.partitions());
        assertEquals(ClusterCommand.REPLICATION_FACTOR, options.replicationFactor());
        assertEquals("service_completed_successfully", replay.path("depends_on").path("topic-init").path("condition").asText());
    }

    // ------------------------------------------------------------------------------------------

    private static JsonNode service(String name) {
        JsonNode s = services.path(name);
        if (s.isMissingNode()) {
            fail("no service " + name);
        }
        return s;
    }

    /** kafka-1:9092,kafka-2:9092,kafka-3:9092 from the brokers' advertised listeners. */
    private static String bootstrapOfKafkaServices() {
        List<String> addresses = new ArrayList<>();
        for (String k : KAFKA) {
            addresses.add(env(service(k)).get("KAFKA_ADVERTISED_LISTENERS").split(",")[0].replaceFirst("^PLAINTEXT://", ""));
        }
        return String.join(",", addresses);
    }

    /** The root pom's {@code kafka.version}: the one version of Kafka, jars and images alike. */
    private static String pomKafkaVersion() throws Exception {
        Matcher m = Pattern.compile("<kafka\\.version>([^<]+)</kafka\\.version>").matcher(Files.readString(root.resolve("pom.xml")));
        assertTrue(m.find(), "pom.xml defines kafka.version");
        return m.group(1).trim();
    }

    /** A service's environment, given as a map or as a list of NAME=value. */
    private static Map<String, String> env(JsonNode service) {
        JsonNode env = service.path("environment");
        Map<String, String> out = new LinkedHashMap<>();
        if (env.isArray()) {
            env.forEach(e -> {
                String[] kv = e.asText().split("=", 2);
                out.put(kv[0], kv.length > 1 ? kv[1] : "");
            });
        } else {
            env.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return out;
    }

    /** A list node's strings, or a single string split on whitespace (compose's shell-less form). */
    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> out.add(n.asText()));
        } else if (node.isTextual()) {
            out.addAll(Arrays.asList(node.asText().trim().split("\\s+")));
        }
        return out;
    }

    private static void assertPinned(String image, String where) {
        assertNotNull(image, where + " has no image");
        String ref = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int slash = ref.lastIndexOf('/');
        int colon = ref.lastIndexOf(':');
        assertTrue(colon > slash, where + ": image " + image + " has no explicit tag");
        String tag = ref.substring(colon + 1);
        assertFalse(tag.isBlank() || tag.equalsIgnoreCase("latest"), where + ": image " + image + " is not pinned");
    }
}
