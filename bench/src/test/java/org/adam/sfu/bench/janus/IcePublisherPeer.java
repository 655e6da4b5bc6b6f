package org.adam.sfu.bench.janus;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.adam.sfu.webrtc.dtls.DtlsCertificate;
import org.adam.sfu.webrtc.dtls.DtlsEndpoint;
import org.adam.sfu.webrtc.dtls.DtlsHandshakePool;
import org.adam.sfu.webrtc.dtls.DtlsListener;
import org.adam.sfu.webrtc.dtls.DtlsResult;
import org.adam.sfu.webrtc.dtls.DtlsRole;
import org.adam.sfu.webrtc.ice.IceConnectivityChecker;
import org.adam.sfu.webrtc.ice.IceCredentials;
import org.adam.sfu.webrtc.ice.IceLiteResponder;
import org.adam.sfu.webrtc.ice.IceSession;
import org.adam.sfu.webrtc.stun.StunMessage;
import org.adam.sfu.webrtc.stun.StunMessageType;

/**
 * Just enough of a publishing peer to bring a Janus peer connection up (Janus only lets others
 * subscribe to a feed once its publisher's ICE and DTLS are done): one UDP socket, ICE as the
 * controlling agent towards Janus's one candidate while answering Janus's own checks, and the
 * DTLS server role (Janus answers a=setup:active). No media is sent.
 */
final class IcePublisherPeer implements AutoCloseable {

    private static final Pattern CANDIDATE = Pattern.compile("a=candidate:\\S+ 1 udp \\d+ (\\S+) (\\d+) typ host");

    private final SecureRandom random = new SecureRandom();
    private final DatagramSocket socket;
    private final IceCredentials local = IceCredentials.random(random);
    private final DtlsCertificate certificate = DtlsCertificate.generate();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "ice-publisher-peer");
        thread.setDaemon(true);
        return thread;
    });
    private final DtlsHandshakePool handshakes = new DtlsHandshakePool(1, 1);
    private final CompletableFuture<DtlsResult> dtlsDone = new CompletableFuture<>();
    private volatile boolean closed;
    volatile boolean iceConnected;
    volatile int checksAnswered;

    IcePublisherPeer(String address) throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(address, 0));
        socket.setSoTimeout(20);
    }

    /** The captured offer with our ICE credentials, fingerprint and single host candidate. */
    String offer(String capturedOffer) {
        StringBuilder sdp = new StringBuilder();
        for (String line : capturedOffer.split("\r?\n")) {
            if (line.startsWith("a=ice-ufrag:")) {
                line = "a=ice-ufrag:" + local.ufrag();
            } else if (line.startsWith("a=ice-pwd:")) {
                line = "a=ice-pwd:" + local.pwd();
            } else if (line.startsWith("a=fingerprint:")) {
                line = "a=fingerprint:sha-256 " + certificate.fingerprintSha256();
            } else if (line.startsWith("a=candidate:")) {
                continue;
            } else if (line.startsWith("a=mid:")) {
                sdp.append("a=candidate:1 1 udp 2122260223 ").append(socket.getLocalAddress().getHostAddress())
                        .append(' ').append(socket.getLocalPort()).append(" typ host\r\n");
            }
            sdp.append(line).append("\r\n");
        }
        return sdp.toString();
    }

    /** Connects to the Janus answer's candidate; completes when DTLS is done. */
    CompletableFuture<DtlsResult> connect(String answer) {
        IceCredentials remote = new IceCredentials(attribute(answer, "a=ice-ufrag:"), attribute(answer, "a=ice-pwd:"));
        String fingerprint = attribute(answer, "a=fingerprint:sha-256 ");
        Matcher candidate = CANDIDATE.matcher(answer);
        if (!candidate.find()) {
            throw new IllegalArgumentException("no UDP host candidate in " + answer);
        }
        InetSocketAddress janus = new InetSocketAddress(candidate.group(1), Integer.parseInt(candidate.group(2)));
        IceSession session = new IceSession(local, 30_000);
        session.setRemoteCredentials(remote.ufrag(), remote.pwd());
        IceConnectivityChecker checker = new IceConnectivityChecker(local, remote, janus, random);
        IceLiteResponder responder = new IceLiteResponder();
        DtlsEndpoint dtls = new DtlsEndpoint(DtlsRole.SERVER, certificate, fingerprint,
                datagram -> send(datagram, janus), new DtlsListener() {
                    @Override
                    public void onHandshakeComplete(DtlsResult result) {
                        dtlsDone.complete(result);
                    }

                    @Override
                    public void onHandshakeFailed(Throwable cause) {
                        dtlsDone.completeExceptionally(cause);
                    }

                    @Override
                    public void onClosed() {
                    }
                }, handshakes, 1200, Duration.ofSeconds(15));
        dtls.start();
        threads.execute(() -> {
            byte[] buffer = new byte[2048];
            while (!closed) {
                byte[] check = checker.poll(System.currentTimeMillis());
                if (check != null) {
                    send(check, janus);
                }
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                } catch (SocketTimeoutException e) {
                    continue;
                } catch (IOException e) {
                    return;
                }
                byte[] data = Arrays.copyOf(packet.getData(), packet.getLength());
                InetSocketAddress from = (InetSocketAddress) packet.getSocketAddress();
                int first = data[0] & 0xff;
                if (StunMessage.isStun(data, 0, data.length)) {
                    onStun(data, from, checker, responder, session);
                } else if (first >= 20 && first <= 63) {
                    dtls.onDatagram(data);
                }
            }
            dtls.close();
        });
        return dtlsDone;
    }

    private void onStun(byte[] data, InetSocketAddress from, IceConnectivityChecker checker,
                        IceLiteResponder responder, IceSession session) {
        try {
            StunMessage message = StunMessage.parse(data, 0, data.length);
            if (message.type() == StunMessageType.BINDING_REQUEST) {
                // Janus is full ICE: it checks our candidate too, and expects answers.
                IceLiteResponder.Result result = responder.handle(data, 0, data.length, from, ufrag -> session);
                if (result.response() != null) {
                    send(result.response(), from);
                    checksAnswered++;
                }
            } else if (checker.onResponse(message, from)) {
                iceConnected = true;
            }
        } catch (Exception e) {
            // A malformed datagram in a test peer: ignore it, the handshake deadline decides.
        }
    }

    private void send(byte[] datagram, InetSocketAddress to) {
        try {
            socket.send(new DatagramPacket(datagram, datagram.length, to));
        } catch (IOException e) {
            // The receive loop ends with the socket; nothing to do for one lost datagram.
        }
    }

    private static String attribute(String sdp, String prefix) {
        return sdp.lines().filter(line -> line.startsWith(prefix)).findFirst()
                .map(line -> line.substring(prefix.length()).trim())
                .orElseThrow(() -> new IllegalArgumentException("no " + prefix + " in " + sdp));
    }

    @Override
    public void close() {
        closed = true;
        socket.close();
        threads.shutdownNow();
        handshakes.close();
    }
}
