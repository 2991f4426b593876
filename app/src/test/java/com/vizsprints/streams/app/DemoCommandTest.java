package com.vizsprints.streams.app;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code vizsprints demo} (and {@code cluster}) default to the repository's own sample data. */
class DemoCommandTest {
    @Test
    void defaultDataIsDataSampleUnderTheLauncherFolderNotBesideIt() {
        Path repo = Path.of(System.getProperty("vizsprints.data.dir")).toAbsolutePath().normalize().getParent();
        String before = System.getProperty(DemoCommand.HOME_PROPERTY);
        System.setProperty(DemoCommand.HOME_PROPERTY, repo.toString());
        try {
            Path data = DemoCommand.sampleDataDir();
            assertEquals(repo.resolve("data").resolve("sample"), data);
            assertTrue(Files.isRegularFile(data.resolve("users.csv")) && Files.isRegularFile(data.resolve("events.csv")), data.toString());
        } finally {
            if (before == null) {
                System.clearProperty(DemoCommand.HOME_PROPERTY);
            } else {
                System.setProperty(DemoCommand.HOME_PROPERTY, before);
            }
        }
    }
}
