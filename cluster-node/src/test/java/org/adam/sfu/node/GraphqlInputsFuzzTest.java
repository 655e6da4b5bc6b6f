package org.adam.sfu.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.adam.sfu.room.RoomKey;
import org.adam.sfu.room.policy.InvalidConfigException;
import org.adam.sfu.room.policy.SfuConfig;

/**
 * Coverage-guided fuzzing of the GraphQL arguments the node parses itself before any actor is
 * asked: a neighbourhood's `sfu` block (`sfuSetConfig`'s `config`, parsed before the signature
 * is checked, so anyone can send one) and room ids (`sfuStopRoom`, the call subscriptions). The
 * contract: {@link SfuConfig#parse} returns or throws {@link InvalidConfigException}, and what it
 * returns survives its own JSON round trip; {@link AdminApi#decodeRoomId} returns or throws
 * IllegalArgumentException, and a room id it returns encodes to one that decodes the same.
 */
class GraphqlInputsFuzzTest {

    @FuzzTest
    void parsesOrRefusesEveryArgument(byte[] input) throws InvalidConfigException {
        String text = new String(input, StandardCharsets.UTF_8);
        try {
            SfuConfig config = SfuConfig.parse(text);
            assertThat(SfuConfig.parse(config.toJson().toString())).isEqualTo(config);
            config.toMap();
        } catch (InvalidConfigException refused) {
            assertThat(refused.field()).isNotNull();
        }
        try {
            RoomKey key = AdminApi.decodeRoomId(text);
            assertThat(AdminApi.decodeRoomId(AdminApi.encodeRoomId(key))).isEqualTo(key);
        } catch (IllegalArgumentException refused) {
            // not a room id
        }
    }
}
