package com.vizsprints.streams.replay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Writing small CSV files for tests, and finding the project's sample data. */
final class TestFiles {
    static final String USERS_HEADER = "user_id,joined_at,device,country,subscription_status,ab_variant";
    static final String EVENTS_HEADER = "event_id,user_id,event_name,timestamp,metadata";

    private TestFiles() {
    }

    /** Writes {@code lines}, each ended by a newline, to {@code dir/name}. */
    static Path write(Path dir, String name, String... lines) throws IOException {
        return writeRaw(dir, name, String.join("\n", lines) + "\n");
    }

    /** Writes {@code text} exactly. */
    static Path writeRaw(Path dir, String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    /**
     * The repository's sample data folder {@code data/sample}. Its location is declared once, in
     * the root pom, as the system property {@code vizsprints.data.dir} (the repository's
     * {@code data/} folder) of every module's tests.
     */
    static Path sampleDir() {
        String configured = System.getProperty("vizsprints.data.dir");
        if (configured == null || configured.isBlank()) {
            throw new IllegalStateException("system property vizsprints.data.dir is not set: run the tests with Maven"
                + " (the root pom sets it to the repository's data/ folder) or pass -Dvizsprints.data.dir=PATH");
        }
        Path dir = Paths.get(configured).resolve("sample").toAbsolutePath().normalize();
        if (!Files.isRegularFile(dir.resolve("users.csv")) || !Files.isRegularFile(dir.resolve("events.csv"))) {
            throw new IllegalStateException(dir + " does not hold users.csv and events.csv");
        }
        return dir;
    }
}
