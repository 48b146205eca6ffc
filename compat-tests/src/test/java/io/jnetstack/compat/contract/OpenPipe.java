package io.jnetstack.compat.contract;

import java.io.IOException;
import java.nio.channels.Pipe;

/** A pipe from the default provider whose two ends close together, for try-with-resources. */
public record OpenPipe(Pipe.SourceChannel source, Pipe.SinkChannel sink) implements AutoCloseable {
    public static OpenPipe blocking() throws IOException {
        Pipe pipe = Pipe.open();
        return new OpenPipe(pipe.source(), pipe.sink());
    }

    /** Both ends non-blocking, ready to register with a selector. */
    public static OpenPipe nonBlocking() throws IOException {
        OpenPipe pipe = blocking();
        pipe.source().configureBlocking(false);
        pipe.sink().configureBlocking(false);
        return pipe;
    }

    @Override
    public void close() throws IOException {
        sink.close();
        source.close();
    }
}
