package routes.feed;

import java.util.EnumSet;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import routes.model.Principal;
import routes.model.Scope;

import static org.junit.jupiter.api.Assertions.*;

class BatchPersistedEventTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String EVENT = """
            {"type":"batch_persisted","ids":["u1","u2","u3"],"batch_size":3,"timestamp":"2026-12-01T00:00:00Z",\
            "subjects":[["alice","bob"],["bob","carol"],["carol","dave","alice"]]}""";

    private static Principal boundTo(String... subjects) {
        return new Principal("k", "k", EnumSet.of(Scope.SUBSCRIBE), Set.of(subjects));
    }

    @Test
    void everyone_gets_the_event_without_its_subjects() {
        assertEquals("{\"type\":\"batch_persisted\",\"ids\":[\"u1\",\"u2\",\"u3\"],\"batch_size\":3,"
                + "\"timestamp\":\"2026-12-01T00:00:00Z\"}", BatchPersistedEvent.read(EVENT, MAPPER).frameFor(Principal.ANONYMOUS));
    }

    @Test
    void a_bound_key_gets_the_ids_it_may_read_or_nothing() {
        BatchPersistedEvent event = BatchPersistedEvent.read(EVENT, MAPPER);
        assertEquals("{\"type\":\"batch_persisted\",\"ids\":[\"u1\",\"u3\"],\"batch_size\":2,"
                + "\"timestamp\":\"2026-12-01T00:00:00Z\"}", event.frameFor(boundTo("alice")));
        assertNull(event.frameFor(boundTo("erin")));
    }

    @Test
    void an_event_that_does_not_say_who_takes_part_goes_to_no_bound_key() {
        String withoutSubjects = "{\"type\":\"batch_persisted\",\"ids\":[\"u1\"],\"batch_size\":1,\"timestamp\":\"t\"}";
        BatchPersistedEvent event = BatchPersistedEvent.read(withoutSubjects, MAPPER);
        assertNull(event.frameFor(boundTo("alice")));
        assertEquals(withoutSubjects, event.frameFor(Principal.ANONYMOUS));
        assertNull(BatchPersistedEvent.read("{\"type\":\"other\"}", MAPPER));
        assertNull(BatchPersistedEvent.read("not json", MAPPER));
    }
}
