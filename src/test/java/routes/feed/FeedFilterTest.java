package routes.feed;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class FeedFilterTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final FeedMessage ORDER = FeedMessage.read("""
            {"message_uuid":"123e4567-e89b-12d3-a456-426614174000","source_subject_id":"agent a",
             "destination_subject_ids":["b","c"],"topic":"orders","message_type":"request","message_data":{}}""", MAPPER);
    private static final FeedMessage NO_TOPIC = FeedMessage.read("""
            {"source_subject_id":"x","destination_subject_ids":["y"],"topic":null}""", MAPPER);
    private static final FeedMessage RAW = FeedMessage.read("plain text, not JSON", MAPPER);

    @Test
    void subject_matches_the_sender_or_any_recipient() {
        assertTrue(FeedFilter.of("subject=agent%20a").matches(ORDER), "sender, URL-decoded");
        assertTrue(FeedFilter.of("subject=c").matches(ORDER), "a recipient");
        assertFalse(FeedFilter.of("subject=d").matches(ORDER));
    }

    @Test
    void parameters_must_all_match_and_a_repeated_one_matches_any_value() {
        assertTrue(FeedFilter.of("topic=orders&type=request").matches(ORDER));
        assertFalse(FeedFilter.of("topic=orders&type=reply").matches(ORDER));
        assertTrue(FeedFilter.of("type=reply&type=request").matches(ORDER));
        assertTrue(FeedFilter.of("unknown=1").matches(ORDER), "unknown parameters are ignored");
    }

    @Test
    void absent_fields_and_raw_text_match_only_an_empty_filter() {
        assertFalse(FeedFilter.of("topic=orders").matches(NO_TOPIC));
        assertTrue(FeedFilter.of("").matches(RAW));
        assertTrue(FeedFilter.of(null).matches(RAW));
        assertFalse(FeedFilter.of("subject=x").matches(RAW));
    }

    @Test
    void the_typed_event_embeds_json_as_is_and_other_text_as_a_string() throws Exception {
        assertEquals("request", MAPPER.readTree(ORDER.event()).path("message").path("message_type").asText());
        assertEquals("message", MAPPER.readTree(RAW.event()).path("type").asText());
        assertEquals("plain text, not JSON", MAPPER.readTree(RAW.event()).path("message").asText());
        FeedMessage quotes = FeedMessage.read("say \"hi\"\n", MAPPER);
        assertEquals("say \"hi\"\n", MAPPER.readTree(quotes.event()).path("message").asText());
        assertEquals("plain text, not JSON", RAW.text(), "the plain stream gets the text unchanged");
    }
}
