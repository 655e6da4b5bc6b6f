package org.adam.sfu.bench.janus;

/**
 * Janus refused a request: either the core ({@code {"janus":"error","error":{code, reason}}},
 * e.g. 458 no such session) or the plugin ({@code plugindata.data.error_code}, e.g. VideoRoom
 * 426 no such room, 427 room exists).
 */
public final class JanusException extends RuntimeException {

    /** Janus core: the session is unknown (expired or destroyed). */
    public static final int NO_SUCH_SESSION = 458;
    /** VideoRoom: no such room. */
    public static final int VIDEOROOM_NO_SUCH_ROOM = 426;
    /** VideoRoom: a room with this id exists already. */
    public static final int VIDEOROOM_ROOM_EXISTS = 427;
    /** VideoRoom: no such feed (also while the feed's publisher is not connected yet). */
    public static final int VIDEOROOM_NO_SUCH_FEED = 428;

    private final int code;
    private final boolean plugin;

    JanusException(int code, String reason, boolean plugin) {
        super((plugin ? "plugin error " : "Janus error ") + code + ": " + reason);
        this.code = code;
        this.plugin = plugin;
    }

    public int code() {
        return code;
    }

    /** True when the plugin refused the request, false when the Janus core did. */
    public boolean plugin() {
        return plugin;
    }
}
