package org.adam.sfu.bench.janus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Janus's replies read as success, acknowledgement, core or plugin error, or a lost session. */
class JanusRepliesTest {

    private static JsonNode json(String text) throws Exception {
        return JanusSession.JSON.readTree(text);
    }

    private static Throwable failureOf(CompletableFuture<JanusEvent> reply) {
        assertThat(reply).isCompletedExceptionally();
        try {
            reply.get();
            throw new AssertionError("not failed");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aPluginEventCompletesTheRequestItAnswers() throws Exception {
        CompletableFuture<JanusEvent> reply = new CompletableFuture<>();
        JanusEvent event = JanusEvent.fromJson(json(
                "{\"janus\":\"event\",\"sender\":7,\"transaction\":\"t1\",\"plugindata\":{\"data\":{\"videoroom\":\"joined\"}}}"));
        JanusReplies.complete(reply, event);
        assertThat(reply).isCompletedWithValue(event);
    }

    @Test
    void aCoreErrorFailsTheRequestWithItsCode() throws Exception {
        CompletableFuture<JanusEvent> reply = new CompletableFuture<>();
        JanusReplies.complete(reply, JanusEvent.fromJson(json(
                "{\"janus\":\"error\",\"transaction\":\"t1\",\"error\":{\"code\":454,\"reason\":\"no such handle\"}}")));
        assertThat(failureOf(reply)).isInstanceOfSatisfying(JanusException.class, e -> {
            assertThat(e.code()).isEqualTo(454);
            assertThat(e.plugin()).isFalse();
        });
    }

    @Test
    void aPluginErrorFailsTheRequestAsThePlugins() throws Exception {
        CompletableFuture<JanusEvent> reply = new CompletableFuture<>();
        JanusReplies.complete(reply, JanusEvent.fromJson(json("{\"janus\":\"event\",\"transaction\":\"t1\","
                + "\"plugindata\":{\"data\":{\"error_code\":426,\"error\":\"no such room\"}}}")));
        assertThat(failureOf(reply)).isInstanceOfSatisfying(JanusException.class, e -> {
            assertThat(e.code()).isEqualTo(JanusException.VIDEOROOM_NO_SUCH_ROOM);
            assertThat(e.plugin()).isTrue();
        });
    }

    @Test
    void onlyError458MeansTheSessionIsGone() throws Exception {
        assertThat(JanusReplies.isSessionGone(json("{\"janus\":\"error\",\"error\":{\"code\":458}}"))).isTrue();
        assertThat(JanusReplies.isSessionGone(json("{\"janus\":\"error\",\"error\":{\"code\":457}}"))).isFalse();
        assertThat(JanusReplies.isSessionGone(json("{\"janus\":\"ack\"}"))).isFalse();
    }

    @Test
    void successIsRequiredWhereJanusAnswersAtOnce() throws Exception {
        JanusReplies.requireSuccess(json("{\"janus\":\"success\",\"data\":{\"id\":1}}"));
        assertThatThrownBy(() -> JanusReplies.requireSuccess(json("{\"janus\":\"ack\"}")))
                .isInstanceOf(JanusException.class);
    }

    @Test
    void anAckOrASuccessAcknowledgesAndAnythingElseFailsWithItsReason() throws Exception {
        JanusReplies.requireAcknowledged(json("{\"janus\":\"ack\"}"));
        JanusReplies.requireAcknowledged(json("{\"janus\":\"success\"}"));
        assertThatThrownBy(() -> JanusReplies.requireAcknowledged(json(
                "{\"janus\":\"error\",\"error\":{\"code\":490,\"reason\":\"bad trickle\"}}")))
                .isInstanceOfSatisfying(JanusException.class, e -> assertThat(e.code()).isEqualTo(490))
                .hasMessageContaining("bad trickle");
    }
}
