package io.jnetstack.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.jnetstack.fault.FaultRule;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The class's rule holds for every test, a method's only for its test; the ordered tests check
 * that a method's rule is gone when the next test starts and the class's when the class is done.
 */
@Faults("udp:port=9:loss=1%")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultsExtensionTest {
    private static final String CLASS_RULE = "udp:port=9:loss=1%";

    private static List<String> ruleTexts() {
        return FaultsExtension.defaultStackFaults().list().stream().map(FaultRule::text).toList();
    }

    @Test
    @Order(1)
    @Faults({"tcp:port=7001:blackhole", "icmp:latency=1ms;udp:dir=in:dup=1%"})
    void aMethodsRulesAreAddedAfterItsClasss() {
        assertEquals(List.of(CLASS_RULE, "tcp:port=7001:blackhole", "icmp:latency=1ms", "udp:dir=in:dup=1%"), ruleTexts());
    }

    @Test
    @Order(2)
    void theMethodsRulesAreGoneAfterItsTestAndTheClasssStay() {
        assertEquals(List.of(CLASS_RULE), ruleTexts());
    }

    @Test
    @Order(3)
    @Faults("tcp:port=7002:blackhole")
    void aBlackholedPortCannotBeReachedOnTheDefaultStack() throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open();
             SocketChannel client = SocketChannel.open()) {
            assertTrue(server.getClass().getName().startsWith("io.jnetstack"), "the provider is jnetstack's");
            server.bind(new InetSocketAddress("127.0.0.1", 7002));
            client.socket().connect(server.getLocalAddress(), 300);
        } catch (SocketTimeoutException expected) {
            assertTrue(FaultsExtension.defaultStackFaults().hits(FaultRule.parse("tcp:port=7002:blackhole")) >= 1);
            return;
        }
        throw new AssertionError("the connect went through the blackhole");
    }

    @Test
    @Order(4)
    void withoutTheBlackholeThePortAnswers() throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open();
             SocketChannel client = SocketChannel.open()) {
            server.bind(new InetSocketAddress("127.0.0.1", 7002));
            client.connect(server.getLocalAddress());
            try (SocketChannel accepted = server.accept()) {
                client.write(ByteBuffer.wrap(new byte[] {42}));
                ByteBuffer one = ByteBuffer.allocate(1);
                assertEquals(1, accepted.read(one));
            }
        }
    }

    @AfterAll
    static void theClasssRuleIsStillThereUntilAfterAllCallbacksRun() {
        assertEquals(List.of(CLASS_RULE), ruleTexts());
    }

    @Test
    @Order(5)
    void aBadRuleFailsTheTestNamingTheMethodAndTheRule() throws NoSuchMethodException {
        ExtensionContext context = mock(ExtensionContext.class);
        when(context.getTestMethod()).thenReturn(Optional.of(Annotated.class.getDeclaredMethod("badRule")));
        ExtensionConfigurationException e = assertThrows(ExtensionConfigurationException.class,
                () -> new FaultsExtension().beforeEach(context));
        assertTrue(e.getMessage().contains("badRule") && e.getMessage().contains("fault rule 'tcp:loss=1'"), e.getMessage());
        assertEquals(List.of(CLASS_RULE), ruleTexts(), "nothing was added");
    }

    /** Holds a method with a bad rule, outside JUnit's view. */
    private static final class Annotated {
        @Faults("latency=1ms;tcp:loss=1")
        void badRule() {
        }
    }
}
