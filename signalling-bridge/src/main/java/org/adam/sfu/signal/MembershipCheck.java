package org.adam.sfu.signal;

/** Whether a DID is a member of a neighbourhood (asked before any participant or media resource exists). */
@FunctionalInterface
public interface MembershipCheck {

    boolean isMember(String neighbourhood, String did);
}
