package io.jnetstack.tap;

/** Every test of {@link TcpKernelInteropTest} with the TAP link's offloads off: plain MTU-sized frames both ways. */
class TcpKernelInteropOffloadOffTest extends TcpKernelInteropTest {
    @Override
    TapLink.Offload offload() {
        return TapLink.Offload.OFF;
    }
}
