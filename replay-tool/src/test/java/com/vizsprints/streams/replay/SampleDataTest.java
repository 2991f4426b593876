package com.vizsprints.streams.replay;

import com.vizsprints.streams.processor.model.EventRecord;
import com.vizsprints.streams.processor.model.UserRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The repository's sample data (data/sample) reads cleanly. */
class SampleDataTest {
    @Test
    void shouldReadAllSampleUsersWithoutRejections() throws IOException {
        CsvContents<UserRecord> users = UsersCsv.readAll(TestFiles.sampleDir().resolve("users.csv"));

        assertEquals(List.of(), users.rejected());
        assertEquals(1000, users.records().size());
        assertEquals(new UserRecord("u_0001", "2023-08-11T01:00:34Z", "Mobile", "SG", "Free", "A", 0),
                users.records().get(0));
        assertEquals(999, users.records().get(999).position());
    }

    @Test
    void shouldReadAllSampleEventsWithoutRejectionsAndKeepMetadataVerbatim() throws IOException {
        CsvContents<EventRecord> events = EventsCsv.readAll(TestFiles.sampleDir().resolve("events.csv"));

        assertEquals(List.of(), events.rejected());
        assertEquals(15862, events.records().size());
        EventRecord first = events.records().get(0);
        assertEquals("{\"source\": \"organic\", \"variant\": \"A\"}", first.metadata());
        assertEquals(new EventRecord("e_1", "u_0726", "signup_success", "2023-01-01T02:01:58Z",
                "{\"source\": \"organic\", \"variant\": \"A\"}", 0), first);
        for (int i = 0; i < events.records().size(); i++) {
            assertEquals(i, events.records().get(i).position());
        }
    }
}
