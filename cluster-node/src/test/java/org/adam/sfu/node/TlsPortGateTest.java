package org.adam.sfu.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsPortGateTest {

    @TempDir
    Path dir;

    private EmbeddedChannel channel() throws Exception {
        KeyPair keys = TestPem.ecKeys();
        ServerTls tls = ServerTls.load(TestPem.write(dir.resolve("c.pem"), TestPem.pem(TestPem.selfSigned(keys, "n"))),
                TestPem.write(dir.resolve("k.pem"), TestPem.pkcs8(keys)));
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        channel.pipeline().addLast(new TlsPortGate(tls, Duration.ofSeconds(10)));
        return channel;
    }

    private static String drainOutbound(EmbeddedChannel channel) {
        StringBuilder text = new StringBuilder();
        ByteBuf out;
        while ((out = channel.readOutbound()) != null) {
            text.append(out.toString(StandardCharsets.UTF_8));
            out.release();
        }
        return text.toString();
    }

    @Test
    void plainHttpIsAnsweredTlsRequiredAndClosed() throws Exception {
        EmbeddedChannel channel = channel();
        channel.writeInbound(Unpooled.copiedBuffer("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", StandardCharsets.US_ASCII));

        String answer = drainOutbound(channel);
        assertThat(answer).startsWith("HTTP/1.1 400 Bad Request\r\n").contains("Content-Type: application/json")
                .endsWith("{\"error\":\"tls-required\",\"message\":\"this port speaks TLS: use https:// (wss:// for WebSockets)\"}");
        assertThat(channel.isOpen()).isFalse();
        assertThat((Object) channel.readInbound()).as("nothing reaches the HTTP handlers").isNull();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void aClientHelloGetsTheTlsHandlerWithWhatCameSoFar() throws Exception {
        EmbeddedChannel channel = channel();
        SSLEngine client = SSLContext.getDefault().createSSLEngine("127.0.0.1", 443);
        client.setUseClientMode(true);
        ByteBuffer hello = ByteBuffer.allocate(client.getSession().getPacketBufferSize());
        client.wrap(ByteBuffer.allocate(0), hello);
        hello.flip();
        ByteBuf bytes = Unpooled.wrappedBuffer(hello);

        // Three bytes decide nothing yet.
        channel.writeInbound(bytes.readRetainedSlice(3));
        assertThat(channel.pipeline().get(SslHandler.class)).isNull();
        channel.writeInbound(bytes);

        assertThat(channel.pipeline().get(TlsPortGate.class)).isNull();
        assertThat(channel.pipeline().get(SslHandler.class)).isNotNull();
        assertThat(channel.pipeline().get(TlsFailureLog.class)).isNotNull();
        assertThat(drainOutbound(channel)).as("the ServerHello").isNotEmpty();
        assertThat(channel.isOpen()).isTrue();
        channel.close();
        drainOutbound(channel);
        channel.finishAndReleaseAll();
    }

    /**
     * A client that does not trust the node's certificate ends the handshake with an alert: the
     * connection closes (with one log line) and no exception or failed handshake reaches the
     * endpoint handlers behind, which would log it with a stack trace.
     */
    @Test
    void aClientThatRejectsTheCertificateEndsAtTheTlsLayer() throws Exception {
        EmbeddedChannel channel = channel();
        // Trusts nothing: the JDK's roots do not include the node's self-signed certificate.
        SSLContext distrustful = SSLContext.getInstance("TLS");
        distrustful.init(null, null, null);
        SSLEngine client = distrustful.createSSLEngine("127.0.0.1", 443);
        client.setUseClientMode(true);
        java.util.List<Object> behind = new java.util.ArrayList<>();
        channel.pipeline().addLast(new io.netty.channel.ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(io.netty.channel.ChannelHandlerContext ctx, Object event) {
                behind.add(event);
            }

            @Override
            public void exceptionCaught(io.netty.channel.ChannelHandlerContext ctx, Throwable cause) {
                behind.add(cause);
            }
        });
        ByteBuffer toServer = ByteBuffer.allocate(64 * 1024);
        ByteBuffer fromServer = ByteBuffer.allocate(64 * 1024);
        ByteBuffer app = ByteBuffer.allocate(64 * 1024);
        boolean rejected = false;
        for (int round = 0; round < 20 && channel.isOpen(); round++) {
            try {
                client.wrap(ByteBuffer.allocate(0), toServer);
                Runnable task;
                while ((task = client.getDelegatedTask()) != null) {
                    task.run();
                }
            } catch (javax.net.ssl.SSLException e) {
                rejected = true;
            }
            toServer.flip();
            if (toServer.hasRemaining()) {
                channel.writeInbound(Unpooled.copiedBuffer(toServer));
            }
            toServer.clear();
            ByteBuf out;
            while ((out = channel.readOutbound()) != null) {
                fromServer.put(out.nioBuffer());
                out.release();
            }
            fromServer.flip();
            while (fromServer.hasRemaining()) {
                try {
                    client.unwrap(fromServer, app);
                    Runnable task;
                    while ((task = client.getDelegatedTask()) != null) {
                        task.run();
                    }
                } catch (javax.net.ssl.SSLException e) {
                    rejected = true;
                    break;
                }
                if (client.getHandshakeStatus() == javax.net.ssl.SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                    break;
                }
            }
            fromServer.compact();
        }
        assertThat(rejected).as("the client refused the certificate").isTrue();
        assertThat(channel.isOpen()).isFalse();
        assertThat(behind).as("no exception and no failed handshake for the endpoint handlers")
                .noneMatch(seen -> seen instanceof Throwable || seen instanceof SslHandshakeCompletionEvent);
        channel.finishAndReleaseAll();
    }

    @Test
    void aPeerThatSendsNoRecordIsClosedAtTheDeadline() throws Exception {
        EmbeddedChannel channel = channel();
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x16, 0x03}));
        channel.advanceTimeBy(9, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isTrue();
        channel.advanceTimeBy(2, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isFalse();
        assertThat(channel.finish()).isFalse();
    }
}
