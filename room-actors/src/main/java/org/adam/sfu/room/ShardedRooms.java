package org.adam.sfu.room;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * Rooms as Cluster Sharding entities keyed by {@link RoomKey#entityId()}. On a one-node cluster
 * every room lives here; with more nodes the shard coordinator spreads them.
 */
public final class ShardedRooms implements RoomDirectory {

    public static final EntityTypeKey<Room.Command> TYPE_KEY = EntityTypeKey.create(Room.Command.class, "Room");

    private final ClusterSharding sharding;

    private ShardedRooms(ClusterSharding sharding) {
        this.sharding = sharding;
    }

    public static ShardedRooms init(ActorSystem<?> system, String nodeId, RoomSettings settings) {
        ClusterSharding sharding = ClusterSharding.get(system);
        Cluster cluster = Cluster.get(system);
        sharding.init(Entity.of(TYPE_KEY, entity -> Room.create(
                        RoomKey.fromEntityId(entity.getEntityId()), nodeId,
                        address -> address.hasLocalScope() || java.util.stream.StreamSupport
                                .stream(cluster.state().getMembers().spliterator(), false)
                                .anyMatch(m -> m.address().equals(address) && m.status() == MemberStatus.up()),
                        settings,
                        context -> entity.getShard().tell(new ClusterSharding.Passivate<>(context.getSelf()))))
                .withStopMessage(Room.Stop.INSTANCE));
        return new ShardedRooms(sharding);
    }

    @Override
    public RecipientRef<Room.Command> room(RoomKey key) {
        return sharding.entityRefFor(TYPE_KEY, key.entityId());
    }
}
