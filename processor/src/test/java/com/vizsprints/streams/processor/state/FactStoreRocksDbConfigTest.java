package com.vizsprints.streams.processor.state;

import com.vizsprints.streams.processor.config.ProcessorConfig;
import com.vizsprints.streams.processor.schema.StateStores;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The application's Kafka Streams settings open the facts store with the RocksDB options chosen
 * for its workload, read back from the OPTIONS file RocksDB itself writes next to the store.
 */
class FactStoreRocksDbConfigTest {
    @TempDir
    Path dir;

    @Test
    void theFactsStoreOpensWithLargerMemtablesAndWiderUniversalMerges() throws IOException {
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>(
                ProcessorConfig.defaults("unused:9092", dir, null).streamsProperties(), new TaskId(0, 0), dir.toFile());
        FactStore store = (FactStore) new FactStoreSupplier(StateStores.FACTS).get();
        store.init(context.getStateStoreContext(), store);
        store.close();

        List<String> options = optionsFile();
        assertTrue(options.contains("  compaction_style=kCompactionStyleUniversal"), "Kafka Streams' compaction style");
        assertTrue(options.contains("  write_buffer_size=67108864"), "64 MB memtables");
        assertTrue(options.contains("  optimize_filters_for_hits=false"), "bloom filters on every level");
        String universal = options.stream().filter(l -> l.startsWith("  compaction_options_universal=")).findFirst().orElseThrow();
        assertTrue(universal.contains("min_merge_width=4;"), universal);
        assertTrue(universal.contains("max_size_amplification_percent=400;"), universal);
    }

    private List<String> optionsFile() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> found = files.filter(p -> p.getFileName().toString().startsWith("OPTIONS-")).sorted().toList();
            assertEquals(StateStores.FACTS, found.get(found.size() - 1).getParent().getFileName().toString());
            return Files.readAllLines(found.get(found.size() - 1));
        }
    }
}
