package org.adam.sfu.bench.load.scenario;

import org.adam.sfu.bench.load.client.LoadParticipant.Publishing;

/**
 * One participant of a scenario.
 *
 * @param quality the {@code set-quality} it asks for after joining, or null for none
 */
public record ParticipantPlan(String room, String name, Publishing publishing, String quality) {

    public boolean publishes() {
        return publishing != Publishing.NONE;
    }
}
