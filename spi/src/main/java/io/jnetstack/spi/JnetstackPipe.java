package io.jnetstack.spi;

import java.nio.channels.Pipe;
import java.nio.channels.spi.SelectorProvider;

/** A pipe inside the JVM: a bounded buffer between its two channels, both selectable with a jnetstack selector. */
final class JnetstackPipe extends Pipe {
    private final PipeSourceChannel source;
    private final PipeSinkChannel sink;

    JnetstackPipe(SelectorProvider provider) {
        PipeBuffer buffer = new PipeBuffer();
        this.source = new PipeSourceChannel(provider, buffer);
        this.sink = new PipeSinkChannel(provider, buffer);
    }

    @Override
    public SourceChannel source() {
        return source;
    }

    @Override
    public SinkChannel sink() {
        return sink;
    }
}
