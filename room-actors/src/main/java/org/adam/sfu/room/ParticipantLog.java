package org.adam.sfu.room;

/**
 * Where a participant's parts write their log lines: the participant's own log, marked with its
 * room and id. Called only on the participant's actor thread.
 */
@FunctionalInterface
interface ParticipantLog {

    void info(String format, Object... args);
}
