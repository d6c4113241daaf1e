package io.siyu.engine.store;

/**
 * The embedded store's file against its live data.
 *
 * @param fileBytes          the MVStore file's size
 * @param fileFillPercent    the share of the file's blocks that chunks occupy (the rest is free space)
 * @param chunksFillPercent  the share of those chunks' bytes still referenced (live pages)
 */
public record StoreFootprint(long fileBytes, int fileFillPercent, int chunksFillPercent) {

    /** Live bytes by MVStore's own account: pages still referenced. */
    public long liveBytes() {
        return fileBytes * fileFillPercent / 100 * chunksFillPercent / 100;
    }
}
