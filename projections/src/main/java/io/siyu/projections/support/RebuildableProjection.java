package io.siyu.projections.support;

import java.util.List;

/**
 * A read model that can be rebuilt beside the live one. The engine runs a second handler of the same projection
 * (the shadow, from {@link #shadow(String)}) in its own tracking processor from the first event, writing to the same
 * collections with a suffix; readers keep reading the live collections. When the shadow has caught up, the live
 * processor stops, the shadow's collections replace the live ones, the live processor takes over the shadow's token
 * and starts again.
 */
public interface RebuildableProjection {

    /** @return the processing group the live handler runs in */
    String processingGroup();

    /** @return every collection the projection writes; they are replaced together */
    List<String> collections();

    /**
     * @param suffix appended to each collection name
     * @return a new handler of this projection writing to the suffixed collections, telling nobody of its changes
     */
    Object shadow(String suffix);

    /** Called after the rebuilt collections replaced the live ones, before the live processor starts again. */
    default void switched() {
    }
}
