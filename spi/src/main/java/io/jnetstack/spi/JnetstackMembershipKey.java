package io.jnetstack.spi;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.channels.MembershipKey;
import java.nio.channels.MulticastChannel;
import java.util.HashSet;
import java.util.Set;

/**
 * A {@link JnetstackDatagramChannel}'s membership of a multicast group, with the JDK's checks and
 * messages (sun.nio.ch.MembershipKeyImpl). Its state is guarded by the channel's state lock.
 */
final class JnetstackMembershipKey extends MembershipKey {
    private final JnetstackDatagramChannel channel;
    private final InetAddress group;
    /** Null for the adaptors' default interface, which no public call can name. */
    private final NetworkInterface interf;
    private final InetAddress source;
    /** The stack's NIC the membership is on. */
    final int nicId;
    private final Set<InetAddress> blocked = new HashSet<>();
    private volatile boolean valid = true;

    JnetstackMembershipKey(JnetstackDatagramChannel channel, InetAddress group, NetworkInterface interf, InetAddress source,
                           int nicId) {
        this.channel = channel;
        this.group = group;
        this.interf = interf;
        this.source = source;
        this.nicId = nicId;
    }

    /** Whether this key is for {@code group} on {@code interf} (null: the default interface). */
    boolean isFor(InetAddress group, NetworkInterface interf) {
        return this.group.equals(group) && java.util.Objects.equals(this.interf, interf);
    }

    void invalidate() {
        valid = false;
    }

    @Override
    public boolean isValid() {
        return valid;
    }

    @Override
    public void drop() {
        channel.drop(this);
    }

    @Override
    public MembershipKey block(InetAddress toBlock) throws IOException {
        if (source != null) {
            throw new IllegalStateException("key is source-specific");
        }
        channel.block(this, toBlock, blocked);
        return this;
    }

    @Override
    public MembershipKey unblock(InetAddress toUnblock) {
        channel.unblock(this, toUnblock, blocked);
        return this;
    }

    @Override
    public MulticastChannel channel() {
        return channel;
    }

    @Override
    public InetAddress group() {
        return group;
    }

    @Override
    public NetworkInterface networkInterface() {
        return interf;
    }

    @Override
    public InetAddress sourceAddress() {
        return source;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("<").append(group.getHostAddress()).append(',')
                .append(interf == null ? "default" : interf.getName());
        if (source != null) {
            sb.append(',').append(source.getHostAddress());
        }
        return sb.append('>').toString();
    }
}
