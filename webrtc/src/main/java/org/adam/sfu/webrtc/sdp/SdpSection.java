package org.adam.sfu.webrtc.sdp;

import java.util.ArrayList;
import java.util.List;

/** The lines of a session or media section, with attribute look-ups shared by both. */
abstract class SdpSection {

    protected final List<SdpLine> lines;

    SdpSection(List<SdpLine> lines) {
        this.lines = lines;
    }

    public List<SdpLine> lines() {
        return lines;
    }

    /** The value of the first `a=name[:value]` line, or null if there is none. */
    public String attribute(String name) {
        for (SdpLine line : lines) {
            if (line.type() == 'a' && line.attributeName().equals(name)) {
                return line.attributeValue();
            }
        }
        return null;
    }

    public boolean hasAttribute(String name) {
        return attribute(name) != null;
    }

    public List<String> attributes(String name) {
        List<String> values = new ArrayList<>();
        for (SdpLine line : lines) {
            if (line.type() == 'a' && line.attributeName().equals(name)) {
                values.add(line.attributeValue());
            }
        }
        return values;
    }
}
