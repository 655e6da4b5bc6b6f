package org.adam.sfu.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class RequestFieldsTest {

    private static RequestFields fields(String json) throws Exception {
        return new RequestFields(new ObjectMapper().readTree(json));
    }

    @Test
    void stringsAreCheckedForPresenceKindLengthAndEmptiness() throws Exception {
        RequestFields f = fields("{\"a\":\"abc\",\"n\":3,\"e\":\"\"}");
        assertThat(f.requiredString("a", 3, "r")).isEqualTo("abc");
        assertThatThrownBy(() -> f.requiredString("a", 2, "r")).hasMessage("field 'a' is longer than 2 characters");
        assertThatThrownBy(() -> f.requiredString("n", 9, "r")).hasMessage("field 'n' must be a string");
        assertThatThrownBy(() -> f.requiredString("x", 9, "r")).hasMessage("missing field 'x'")
                .satisfies(e -> assertThat(((ProtocolException) e).requestId()).isEqualTo("r"));
        assertThatThrownBy(() -> f.requiredNonEmpty("e", 9, "r")).hasMessage("field 'e' must not be empty");
        assertThat(f.optionalString("x", 9, "r")).isNull();
    }

    @Test
    void anIdTooLongToEchoRefusesTheRequest() throws Exception {
        assertThat(fields("{\"id\":\"r1\"}").optionalId()).isEqualTo("r1");
        assertThat(fields("{\"id\":7}").optionalId()).isNull();
        RequestFields tooLong = fields("{\"id\":\"" + "i".repeat(RequestLimits.REQUEST_ID + 1) + "\"}");
        assertThatThrownBy(tooLong::optionalId).isInstanceOf(ProtocolException.class);
    }

    @Test
    void numbersBooleansListsAndMapsKeepToTheirBounds() throws Exception {
        RequestFields f = fields("{\"i\":5,\"b\":\"yes\",\"tracks\":[\"t1\"],\"sources\":{\"0\":\"camera\"},"
                + "\"pc\":\"sideways\"}");
        assertThat(f.optionalInt("i", 5, null)).isEqualTo(5);
        assertThatThrownBy(() -> f.optionalInt("i", 4, null)).hasMessage("field 'i' must be an integer from 0 to 4");
        assertThat(f.optionalBoolean("missing", true, null)).isTrue();
        assertThatThrownBy(() -> f.optionalBoolean("b", true, null)).hasMessage("field 'b' must be a boolean");
        assertThat(f.trackIds(null)).containsExactly("t1");
        assertThat(f.optionalStringMap("sources", null)).isEqualTo(Map.of("0", "camera"));
        assertThatThrownBy(() -> f.peerConnection(null)).isInstanceOf(ProtocolException.class);
    }
}
