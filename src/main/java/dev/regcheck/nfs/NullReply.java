package dev.regcheck.nfs;

import java.time.Duration;

/**
 * The NFS service answered the NULL procedure.
 *
 * @param version the NFS version called
 * @param address the {@code host:port} that answered
 * @param portFromPortmapper true when the portmapper gave the port; false when it did not know the
 *     program (or no portmapper answered) and the default NFS port was used
 * @param roundTrip how long the call took, connection excluded
 */
public record NullReply(int version, String address, boolean portFromPortmapper, Duration roundTrip) {}
