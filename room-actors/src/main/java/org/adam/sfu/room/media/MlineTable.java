package org.adam.sfu.room.media;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The m-lines of a subscribe connection's offers, in offer order: which mid carries which
 * content, and where a new one goes. A freed m-line is rejected in the next offer (port 0) and,
 * once the client has answered such an offer, its place is taken by the next new line of the
 * same kind, with a new mid (RFC 8829 5.2.2); mids are never reused. So the table stays as long
 * as the most lines in use at once, however many come and go. The first m-line carries the
 * BUNDLE transport: freed, it goes inactive and is never recycled. Pure bookkeeping, used only on
 * the owning participant's actor thread.
 *
 * @param <T> what each line carries (the subscribe connection's sent track)
 */
final class MlineTable<T> {

    /** Where an m-line is in its life. */
    enum Stage {
        /** Carrying its content. */
        SENDING,
        /** Freed; it is the first m-line, kept (inactive) for the BUNDLE transport. */
        INACTIVE,
        /** Freed; rejected in offers, but no answer to such an offer has been applied yet. */
        REJECTING,
        /** Rejected in the client's current description: its place may take a new line. */
        RECYCLABLE
    }

    static final class MLine<T> {
        private final String mid;
        private final String kind;
        private final T content;
        private Stage stage = Stage.SENDING;
        /** Named in an offer already sent: only then can an answer accept or refuse it. */
        private boolean offered;
        /** Rejected in the offer that is out: its answer makes the place recyclable. */
        private boolean offeredRejected;

        private MLine(String mid, String kind, T content) {
            this.mid = mid;
            this.kind = kind;
            this.content = content;
        }

        String mid() {
            return mid;
        }

        String kind() {
            return kind;
        }

        T content() {
            return content;
        }

        Stage stage() {
            return stage;
        }

        boolean offered() {
            return offered;
        }

        boolean sending() {
            return stage == Stage.SENDING;
        }
    }

    private final List<MLine<T>> lines = new ArrayList<>();
    private final List<MLine<T>> view = Collections.unmodifiableList(lines);
    /** The next mid to give: mids are never reused on a connection. */
    private int nextMid;

    /** A new sending line with a new mid, in the first recyclable place of its kind, else at the end. */
    MLine<T> add(String kind, T content) {
        MLine<T> line = new MLine<>(Integer.toString(nextMid++), kind, content);
        int recycled = recyclablePlaceFor(kind);
        if (recycled >= 0) {
            lines.set(recycled, line);
        } else {
            lines.add(line);
        }
        return line;
    }

    /** The first place a new line of {@code kind} can take (JSEP recycling), or -1 to add one. */
    private int recyclablePlaceFor(String kind) {
        for (int i = 0; i < lines.size(); i++) {
            MLine<T> line = lines.get(i);
            if (line.stage == Stage.RECYCLABLE && line.kind.equals(kind)) {
                return i;
            }
        }
        return -1;
    }

    /** {@code line} no longer carries its content: rejected in the next offer (inactive if it is the first). */
    void free(MLine<T> line) {
        line.stage = lines.indexOf(line) == 0 ? Stage.INACTIVE : Stage.REJECTING;
        line.offeredRejected = false;
    }

    /** An offer naming every line as it is now was sent. */
    void offered() {
        for (MLine<T> line : lines) {
            line.offered = true;
            line.offeredRejected = line.stage == Stage.REJECTING || line.stage == Stage.RECYCLABLE;
        }
    }

    /** The client answered the offer that was out: the places it rejected may be recycled. */
    void answered() {
        for (MLine<T> line : lines) {
            if (line.stage == Stage.REJECTING && line.offeredRejected) {
                line.stage = Stage.RECYCLABLE;
            }
        }
    }

    /** The lines in offer order (a view). */
    List<MLine<T>> lines() {
        return view;
    }

    int size() {
        return lines.size();
    }

    boolean isEmpty() {
        return lines.isEmpty();
    }
}
