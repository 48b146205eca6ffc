package io.jnetstack.link;

import io.jnetstack.address.LinkAddress;
import io.jnetstack.buffer.MemoryAccount;
import io.jnetstack.buffer.PacketBuffer;
import java.util.Objects;

/**
 * A link stacked on another one ({@link SniffingLink}, {@link FaultyLink}, a test's recorder):
 * everything is passed to the wrapped link unless a subclass overrides it.
 */
public abstract class WrappingLink implements LinkEndpoint {
    protected final LinkEndpoint inner;

    protected WrappingLink(LinkEndpoint inner) {
        this.inner = Objects.requireNonNull(inner, "inner");
    }

    /** The wrapped link. */
    public LinkEndpoint inner() {
        return inner;
    }

    @Override
    public LinkType linkType() {
        return inner.linkType();
    }

    @Override
    public int mtu() {
        return inner.mtu();
    }

    @Override
    public LinkAddress linkAddress() {
        return inner.linkAddress();
    }

    @Override
    public void attach(NetworkDispatcher dispatcher) {
        inner.attach(dispatcher);
    }

    @Override
    public boolean isAttached() {
        return inner.isAttached();
    }

    @Override
    public void writeFrame(PacketBuffer frame) {
        inner.writeFrame(frame);
    }

    @Override
    public int gsoMaxSize() {
        return inner.gsoMaxSize();
    }

    @Override
    public boolean completesChecksums() {
        return inner.completesChecksums();
    }

    @Override
    public boolean deliversToItself() {
        return inner.deliversToItself();
    }

    @Override
    public void chargeSpareArraysTo(MemoryAccount account) {
        inner.chargeSpareArraysTo(account);
    }

    @Override
    public void close() {
        inner.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + inner + "]";
    }
}
