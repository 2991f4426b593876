package com.vizsprints.streams.it;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The repository's {@code data/} folder: the sample data ({@code data/sample}) and the golden
 * answers on it ({@code data/golden/sample}). Its location is declared once, in the root pom, as
 * the system property {@code vizsprints.data.dir} of every module's tests.
 */
public final class RepositoryData {
    static final String PROPERTY = "vizsprints.data.dir";

    private RepositoryData() {
    }

    public static Path locate() {
        String configured = System.getProperty(PROPERTY);
        if (configured == null || configured.isBlank()) {
            throw new IllegalStateException("system property " + PROPERTY + " is not set: run the tests with Maven"
                + " (the root pom sets it to the repository's data/ folder) or pass -D" + PROPERTY + "=PATH");
        }
        Path dir = Path.of(configured).toAbsolutePath().normalize();
        if (!Files.isRegularFile(dir.resolve("golden").resolve("sample").resolve("index.json"))) {
            throw new IllegalStateException(PROPERTY + "=" + dir + " holds no golden/sample/index.json");
        }
        return dir;
    }

    public static Path sampleData() {
        return locate().resolve("sample");
    }

    public static Path sampleGoldens() {
        return locate().resolve("golden").resolve("sample");
    }
}
