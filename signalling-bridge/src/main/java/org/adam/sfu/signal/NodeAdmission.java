package org.adam.sfu.signal;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.adam.sfu.room.ClientLink;
import org.adam.sfu.room.ParticipantId;
import org.adam.sfu.room.SfuNode;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * A `/signal` session's questions to this node's {@link SfuNode}: admit a join, find a
 * participant to resume. Stateless; asked on the socket's event loop, answered on the actors'
 * threads (the session hops back).
 */
final class NodeAdmission {

    private final ActorRef<SfuNode.Command> node;
    private final ActorSystem<?> system;
    private final SignalSettings settings;

    NodeAdmission(ActorRef<SfuNode.Command> node, ActorSystem<?> system, SignalSettings settings) {
        this.node = node;
        this.system = system;
        this.settings = settings;
    }

    CompletionStage<SfuNode.JoinOutcome> admit(ClientRequest.Join join, ClientLink link) {
        SfuNode.JoinRequest request = new SfuNode.JoinRequest(join.id(), join.neighbourhood(), join.room(),
                join.did(), join.name() == null ? "" : join.name(), join.autoSubscribe());
        return AskPattern.ask(node, replyTo -> new SfuNode.Join(request, link, replyTo), settings.askTimeout(),
                system.scheduler());
    }

    CompletionStage<Optional<SfuNode.Found>> find(String participantId) {
        return AskPattern.ask(node,
                replyTo -> new SfuNode.FindParticipant(new ParticipantId(participantId), replyTo),
                settings.askTimeout(), system.scheduler());
    }
}
