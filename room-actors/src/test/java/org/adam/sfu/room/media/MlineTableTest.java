package org.adam.sfu.room.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class MlineTableTest {

    private static List<String> mids(MlineTable<String> table) {
        return table.lines().stream().map(MlineTable.MLine::mid).toList();
    }

    private static List<String> contents(MlineTable<String> table) {
        return table.lines().stream().map(MlineTable.MLine::content).toList();
    }

    /** Sends an offer of the table as it is and applies the client's answer to it. */
    private static void offerAndAnswer(MlineTable<String> table) {
        table.offered();
        table.answered();
    }

    @Test
    void newLinesGetTheNextMidAndGoAtTheEnd() {
        MlineTable<String> table = new MlineTable<>();
        table.add("audio", "a");
        table.add("video", "v");
        table.add("video", "w");
        assertThat(mids(table)).containsExactly("0", "1", "2");
        assertThat(contents(table)).containsExactly("a", "v", "w");
        assertThat(table.lines()).allMatch(MlineTable.MLine::sending);
    }

    @Test
    void aFreedPlaceIsRejectingUntilAnAnswerToAnOfferRejectingItThenRecycledWithANewMid() {
        MlineTable<String> table = new MlineTable<>();
        table.add("audio", "a");
        MlineTable.MLine<String> leaving = table.add("video", "v");
        offerAndAnswer(table);

        table.free(leaving);
        assertThat(leaving.stage()).isEqualTo(MlineTable.Stage.REJECTING);
        table.add("video", "early");
        assertThat(mids(table)).as("not recyclable before the client answered its rejection")
                .containsExactly("0", "1", "2");

        offerAndAnswer(table);
        assertThat(leaving.stage()).isEqualTo(MlineTable.Stage.RECYCLABLE);
        MlineTable.MLine<String> recycled = table.add("video", "late");
        assertThat(mids(table)).containsExactly("0", "3", "2");
        assertThat(recycled.content()).isEqualTo("late");
        assertThat(recycled.offered()).as("a new line was never offered").isFalse();
    }

    @Test
    void anAnswerToAnOfferSentBeforeTheLineWasFreedDoesNotRecycleIt() {
        MlineTable<String> table = new MlineTable<>();
        table.add("audio", "a");
        MlineTable.MLine<String> line = table.add("audio", "b");
        table.offered();
        table.free(line);
        table.answered();
        assertThat(line.stage()).isEqualTo(MlineTable.Stage.REJECTING);
    }

    @Test
    void theFirstLineGoesInactiveAndIsNeverRecycled() {
        MlineTable<String> table = new MlineTable<>();
        MlineTable.MLine<String> first = table.add("audio", "a");
        table.free(first);
        offerAndAnswer(table);
        assertThat(first.stage()).isEqualTo(MlineTable.Stage.INACTIVE);
        table.add("audio", "b");
        assertThat(mids(table)).containsExactly("0", "1");
    }

    @Test
    void aPlaceIsTakenOnlyByALineOfItsKindAndTheFirstFreedPlaceFirst() {
        MlineTable<String> table = new MlineTable<>();
        table.add("audio", "anchor");
        MlineTable.MLine<String> video = table.add("video", "v");
        MlineTable.MLine<String> audio1 = table.add("audio", "a1");
        MlineTable.MLine<String> audio2 = table.add("audio", "a2");
        table.free(video);
        table.free(audio2);
        table.free(audio1);
        offerAndAnswer(table);

        table.add("audio", "new");
        assertThat(contents(table)).containsExactly("anchor", "v", "new", "a2");
        table.add("audio", "newer");
        assertThat(contents(table)).containsExactly("anchor", "v", "new", "newer");
        table.add("video", "w");
        assertThat(contents(table)).containsExactly("anchor", "w", "new", "newer");
    }

    @Test
    void manyComingAndGoingKeepTheTableAsLongAsTheMostLinesAtOnce() {
        MlineTable<String> table = new MlineTable<>();
        for (int i = 0; i < 10_000; i++) {
            MlineTable.MLine<String> audio = table.add("audio", "a" + i);
            MlineTable.MLine<String> video = table.add("video", "v" + i);
            offerAndAnswer(table);
            table.free(audio);
            table.free(video);
            offerAndAnswer(table);
        }
        assertThat(table.size()).as("the first line (inactive) and one place per kind").isLessThanOrEqualTo(3);
        assertThat(mids(table)).as("mids are never reused").contains("19998", "19999");
    }
}
