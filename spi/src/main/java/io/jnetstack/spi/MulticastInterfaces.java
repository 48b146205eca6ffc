package io.jnetstack.spi;

import io.jnetstack.address.IpAddress;
import io.jnetstack.stack.Nic;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;

/**
 * Which of the stack's NICs a {@link NetworkInterface} (one of the host's, as java.net lists them)
 * stands for in multicast options and memberships: the NIC that has one of its addresses, else
 * for the host's loopback interface the loopback NIC, else none, and the group's route decides.
 */
final class MulticastInterfaces {
    private MulticastInterfaces() {
    }

    /** The NIC {@code interf} stands for, or 0 if none does. */
    static int nicOf(io.jnetstack.stack.Stack stack, NetworkInterface interf) throws SocketException {
        for (InetAddress a : Collections.list(interf.getInetAddresses())) {
            IpAddress address = IpAddress.of(a);
            for (Nic nic : stack.nics()) {
                if (nic.hasAddress(address)) {
                    return nic.id();
                }
            }
        }
        Nic lo = stack.loopbackNic();
        return interf.isLoopback() && lo != null ? lo.id() : 0;
    }

    /** The NIC a membership of {@code group} on {@code interf} (null: the default) is on: as {@link #nicOf}, else the group's route's. */
    static int membershipNic(io.jnetstack.stack.Stack stack, NetworkInterface interf, IpAddress group) throws SocketException {
        int nicId = interf == null ? 0 : nicOf(stack, interf);
        if (nicId != 0) {
            return nicId;
        }
        try {
            return stack.findRoute(0, null, group).nicId();
        } catch (java.net.NoRouteToHostException e) {
            throw (SocketException) new SocketException("No such device: no NIC for multicast group " + group).initCause(e);
        }
    }
}
