package io.jnetstack.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.address.IpAddress;
import io.jnetstack.testing.ThreadAllocation;
import java.net.BindException;
import org.junit.jupiter.api.Test;

/** The demuxer's lookup order: exact 4-tuple, then the local address and port, then the wildcard. */
class TransportDemuxerTest {
    private static final int UDP = 17;
    private static final int TCP = 6;
    private static final IpAddress LOCAL = IpAddress.parse("10.0.0.2");
    private static final IpAddress PEER = IpAddress.parse("10.0.0.1");
    private static final IpAddress OTHER_PEER = IpAddress.parse("10.0.0.9");
    private static final int PORT = 6000;

    private final TransportDemuxer demuxer = new TransportDemuxer();
    private final TransportEndpoint connected = new NamedEndpoint("connected");
    private final TransportEndpoint specific = new NamedEndpoint("specific");
    private final TransportEndpoint wildcard = new NamedEndpoint("wildcard");

    /** An endpoint to look up. */
    private record NamedEndpoint(String name) implements TransportEndpoint {
    }

    private void registerAllThree() throws BindException {
        demuxer.register(UDP, new TransportEndpointId(LOCAL, PORT, PEER, 5001), connected);
        demuxer.register(UDP, TransportEndpointId.bound(LOCAL, PORT), specific);
        demuxer.register(UDP, TransportEndpointId.bound(IpAddress.IPV4_ANY, PORT), wildcard);
    }

    @Test
    void theExactFourTupleComesFirst() throws BindException {
        registerAllThree();

        assertSame(connected, demuxer.find(UDP, LOCAL, PORT, PEER, 5001));
    }

    @Test
    void anotherRemotePortFallsBackToTheEndpointBoundToTheLocalAddress() throws BindException {
        registerAllThree();

        assertSame(specific, demuxer.find(UDP, LOCAL, PORT, PEER, 5002));
        assertSame(specific, demuxer.find(UDP, LOCAL, PORT, OTHER_PEER, 5001));
    }

    @Test
    void withoutAnEndpointOnTheLocalAddressTheWildcardTakesThePacket() throws BindException {
        registerAllThree();
        demuxer.unregister(UDP, TransportEndpointId.bound(LOCAL, PORT), specific);

        assertSame(wildcard, demuxer.find(UDP, LOCAL, PORT, OTHER_PEER, 5001));
        assertSame(connected, demuxer.find(UDP, LOCAL, PORT, PEER, 5001));
    }

    @Test
    void theWildcardServesEveryLocalAddressOfItsFamily() throws BindException {
        demuxer.register(UDP, TransportEndpointId.bound(IpAddress.IPV4_ANY, PORT), wildcard);

        assertSame(wildcard, demuxer.find(UDP, IpAddress.parse("192.168.1.1"), PORT, PEER, 5001));
        assertNull(demuxer.find(UDP, IpAddress.parse("fd00::2"), PORT, IpAddress.parse("fd00::1"), 5001));
    }

    @Test
    void otherPortsAndProtocolsFindNothing() throws BindException {
        registerAllThree();

        assertNull(demuxer.find(UDP, LOCAL, PORT + 1, PEER, 5001));
        assertNull(demuxer.find(TCP, LOCAL, PORT, PEER, 5001));
    }

    @Test
    void aSecondEndpointOnTheSameIdIsAddressInUse() throws BindException {
        demuxer.register(UDP, TransportEndpointId.bound(LOCAL, PORT), specific);

        BindException e = assertThrows(BindException.class,
                () -> demuxer.register(UDP, TransportEndpointId.bound(LOCAL, PORT), wildcard));
        assertEquals("Address already in use", e.getMessage());
        assertSame(specific, demuxer.find(UDP, LOCAL, PORT, PEER, 5001));
    }

    @Test
    void unregisteringRemovesOnlyTheEndpointThatHoldsTheId() throws BindException {
        TransportEndpointId id = TransportEndpointId.bound(LOCAL, PORT);
        demuxer.register(UDP, id, specific);

        demuxer.unregister(UDP, id, wildcard);
        assertSame(specific, demuxer.find(UDP, LOCAL, PORT, PEER, 5001));

        demuxer.unregister(UDP, id, specific);
        assertNull(demuxer.find(UDP, LOCAL, PORT, PEER, 5001));
        assertEquals(0, demuxer.size());
    }

    @Test
    void anIpv4PacketWithNoIpv4EndpointReachesTheDualStackIpv6Wildcard() throws BindException {
        TransportEndpoint dualStack = new NamedEndpoint("dual-stack");
        demuxer.register(UDP, TransportEndpointId.bound(IpAddress.IPV6_ANY, PORT), dualStack);

        assertSame(dualStack, demuxer.find(UDP, LOCAL, PORT, PEER, 5001));
        demuxer.register(UDP, new TransportEndpointId(LOCAL, PORT, PEER, 5001), connected);
        assertSame(connected, demuxer.find(UDP, LOCAL, PORT, PEER, 5001));
    }

    @Test
    void anIpv6PacketNeverReachesTheIpv4Wildcard() throws BindException {
        demuxer.register(UDP, TransportEndpointId.bound(IpAddress.IPV4_ANY, PORT), wildcard);

        assertNull(demuxer.find(UDP, IpAddress.parse("fd00::2"), PORT, IpAddress.parse("fd00::1"), 5001));
    }

    @Test
    void theIpv6WildcardAndAnIpv4AddressCannotBothBeBoundToOnePort() throws BindException {
        demuxer.register(TCP, TransportEndpointId.bound(IpAddress.IPV6_ANY, PORT), wildcard);

        assertThrows(BindException.class, () -> demuxer.register(TCP, TransportEndpointId.bound(LOCAL, PORT), specific));
        demuxer.unregister(TCP, TransportEndpointId.bound(IpAddress.IPV6_ANY, PORT), wildcard);
        demuxer.register(TCP, TransportEndpointId.bound(IpAddress.IPV4_ANY, PORT), wildcard);
        assertThrows(BindException.class,
                () -> demuxer.register(TCP, TransportEndpointId.bound(IpAddress.IPV6_ANY, PORT), specific));
    }

    @Test
    void theIpv6WildcardCannotTakeAPortASpecificIpv4EndpointListensOnUntilItGoes() throws BindException {
        demuxer.register(TCP, TransportEndpointId.bound(LOCAL, PORT), specific);

        assertThrows(BindException.class, () -> demuxer.register(TCP, TransportEndpointId.bound(IpAddress.IPV6_ANY, PORT), wildcard));
        demuxer.unregister(TCP, TransportEndpointId.bound(LOCAL, PORT), specific);
        demuxer.register(TCP, TransportEndpointId.bound(IpAddress.IPV6_ANY, PORT), wildcard);
        assertSame(wildcard, demuxer.find(TCP, LOCAL, PORT, PEER, 5001));
    }

    @Test
    void aConnectionsRegistrationCostsOnlyItsEntryAndUnregisteringBuildsNoKey() {
        TransportEndpointId[] ids = new TransportEndpointId[1000];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = new TransportEndpointId(LOCAL, PORT, PEER, 10_000 + i);
        }
        double bytesPerConnection = ThreadAllocation.averageBytesPerStep(ids.length, i -> {
            try {
                demuxer.register(TCP, ids[i], connected);
            } catch (BindException e) {
                throw new AssertionError(e);
            }
            demuxer.unregister(TCP, ids[i], connected);
        });

        // The stored key and the map's node (72 bytes with compressed oops); a key built to
        // unregister made it 112.
        assertTrue(bytesPerConnection < 96, bytesPerConnection + " bytes per registration and unregistration");
    }
}
