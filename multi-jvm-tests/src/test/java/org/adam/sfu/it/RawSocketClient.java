package org.adam.sfu.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 and WebSocket spoken by hand over a plain socket, for what ordinary clients will not
 * send: any `Host` or `Origin`, a frame header announcing a payload that never comes, a socket
 * with a tiny receive buffer that is never read.
 */
final class RawSocketClient implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A response's status line and headers (names in lower case). */
    record Head(int status, Map<String, String> headers) {
    }

    /** A frame from the node (never masked). */
    record Frame(boolean fin, int opcode, byte[] payload) {
        static final int TEXT = 1;
        static final int CLOSE = 8;
        static final int PING = 9;

        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The status code of a close frame (1005 when it has none). */
        int closeStatus() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawSocketClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** @param receiveBuffer the socket's receive buffer in bytes, 0 for the system's default */
    static RawSocketClient connect(int port, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer); // before connect, so the window is small from the start
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        return new RawSocketClient(socket);
    }

    /** A WebSocket upgrade request; {@code origin} and {@code subprotocol} may be null. */
    static String upgrade(int port, String path, String origin, String subprotocol) {
        byte[] key = new byte[16];
        RANDOM.nextBytes(key);
        StringBuilder request = new StringBuilder()
                .append("GET ").append(path).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\n")
                .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
                .append("Sec-WebSocket-Version: 13\r\n")
                .append("Sec-WebSocket-Key: ").append(Base64.getEncoder().encodeToString(key)).append("\r\n");
        if (origin != null) {
            request.append("Origin: ").append(origin).append("\r\n");
        }
        if (subprotocol != null) {
            request.append("Sec-WebSocket-Protocol: ").append(subprotocol).append("\r\n");
        }
        return request.append("\r\n").toString();
    }

    void write(String text) throws IOException {
        write(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads a response's status line and headers (not its body). */
    Head readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in the response head: " + head);
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        return new Head(Integer.parseInt(lines[0].split(" ")[1]), headers);
    }

    /** A response's body after {@link #readHead()}, by its content-length. */
    String readBody(Head head) throws IOException {
        int length = Integer.parseInt(head.headers().getOrDefault("content-length", "0"));
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    /** One whole request on a fresh connection: status, headers and body. */
    static Map.Entry<Head, String> exchange(int port, String request) throws IOException {
        try (RawSocketClient client = connect(port, 0)) {
            client.write(request);
            Head head = client.readHead();
            return Map.entry(head, client.readBody(head));
        }
    }

    /** A masked frame, as clients must send them. */
    void sendFrame(boolean fin, int opcode, byte[] payload) throws IOException {
        write(frame(fin, opcode, payload));
    }

    /** A masked frame's bytes. */
    static byte[] frame(boolean fin, int opcode, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        byte[] mask = frameHeader(frame, fin, opcode, payload.length);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        return frame.toByteArray();
    }

    /** Only a frame's header (with its masking key), announcing {@code length} payload bytes. */
    void sendFrameHeader(boolean fin, int opcode, long length) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frameHeader(frame, fin, opcode, length);
        write(frame.toByteArray());
    }

    private static byte[] frameHeader(ByteArrayOutputStream frame, boolean fin, int opcode, long length) {
        frame.write((fin ? 0x80 : 0) | opcode);
        if (length < 126) {
            frame.write(0x80 | (int) length);
        } else if (length < 65536) {
            frame.write(0x80 | 126);
            frame.write((int) (length >> 8));
            frame.write((int) length);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) (length >> shift));
            }
        }
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        frame.writeBytes(mask);
        return mask;
    }

    /** The next frame from the node, waiting up to {@code timeout}; null if the node closed the socket. */
    Frame readFrame(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        try {
            int first = in.read();
            if (first < 0) {
                return null;
            }
            int second = readByte();
            long length = second & 0x7f;
            if (length == 126) {
                length = (readByte() << 8) | readByte();
            } else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = (length << 8) | readByte();
                }
            }
            byte[] payload = in.readNBytes((int) length);
            return new Frame((first & 0x80) != 0, first & 0x0f, payload);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no frame from the node within " + timeout, e);
        }
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new IOException("connection closed inside a frame");
        }
        return b;
    }

    /**
     * Whether the node has closed the socket (end of stream or reset) within {@code timeout};
     * whatever it still sends meanwhile is read and dropped.
     */
    boolean closedWithin(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            socket.setSoTimeout(200);
            try {
                if (in.read() < 0) {
                    return true;
                }
            } catch (SocketTimeoutException stillOpen) {
                // poll again until the deadline
            } catch (IOException reset) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
