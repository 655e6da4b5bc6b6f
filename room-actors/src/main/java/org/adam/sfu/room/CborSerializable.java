package org.adam.sfu.room;

/**
 * Marker for messages that may cross node boundaries; bound to Pekko's Jackson CBOR serializer in
 * this module's reference.conf.
 */
public interface CborSerializable {
}
