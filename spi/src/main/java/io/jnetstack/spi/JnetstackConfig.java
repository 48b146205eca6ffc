package io.jnetstack.spi;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.IpSubnet;
import io.jnetstack.address.LinkAddress;
import io.jnetstack.fault.FaultRule;
import io.jnetstack.fault.FaultRuleSyntax;
import io.jnetstack.stack.Nic;
import io.jnetstack.tap.TapLink;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The {@code jnetstack.*} system properties that shape the default stack, parsed and checked
 * together. Every rejection is an {@link IllegalArgumentException} whose message names the
 * property, the bad value and the accepted form.
 *
 * @param tap       the TAP NIC's settings, empty for a loopback-only stack
 * @param pcap      the capture file, empty for no capture
 * @param processors the stack's processor thread count, empty for the stack's default
 * @param memory    the stack's memory limits
 * @param faults    fault rules on every NIC from the start, empty for none
 */
public record JnetstackConfig(Optional<TapSettings> tap, Optional<Path> pcap, Optional<Integer> processors,
                              MemoryLimits memory, List<FaultRule> faults) {
    public static final String PREFIX = "jnetstack.";
    public static final String TAP = PREFIX + "tap";
    public static final String IPV4 = PREFIX + "ipv4";
    public static final String GATEWAY = PREFIX + "gateway";
    public static final String IPV6 = PREFIX + "ipv6";
    public static final String MAC = PREFIX + "mac";
    public static final String MTU = PREFIX + "mtu";
    public static final String PCAP = PREFIX + "pcap";
    /** {@code auto} (default) or {@code off}: the TAP device's checksum and segmentation offloads. */
    public static final String OFFLOAD = PREFIX + "offload";
    /** Queues (descriptors, reader threads) of the TAP device, default 1. */
    public static final String TAP_QUEUES = PREFIX + "tapQueues";
    public static final String PROCESSORS = PREFIX + "processors";
    public static final String TCP_MEMORY = PREFIX + "tcpMemory";
    public static final String REASSEMBLY_MEMORY = PREFIX + "reassemblyMemory";
    /** Fault rules, in the syntax of {@link FaultRuleSyntax}. */
    public static final String FAULT = PREFIX + "fault";
    /** Smallest memory limit accepted: room for one 64 KiB datagram or window. */
    static final long MIN_MEMORY_LIMIT = 64 << 10;

    /**
     * The TAP NIC: its device, its address and, if given, the default route's gateway.
     *
     * @param gateway empty for no default route (only the TAP's own subnet is reachable)
     */
    public record TapSettings(TapLink.Config link, IpSubnet address, Optional<IpAddress> gateway) {
    }

    /**
     * Heap limits, in bytes at true cost; empty for the stack's defaults (shares of the heap).
     *
     * @param tcp        all TCP connections' buffers and queues ({@code TcpConfig.memoryLimit})
     * @param reassembly incomplete IPv4 datagrams ({@code Stack.Builder.reassembly})
     */
    public record MemoryLimits(Optional<Long> tcp, Optional<Integer> reassembly) {
    }

    /** The configuration the JVM's system properties describe. */
    public static JnetstackConfig fromSystemProperties() {
        return parse(System::getProperty);
    }

    /**
     * Parses the properties {@code lookup} returns (null: not set).
     *
     * @throws IllegalArgumentException naming the first bad property and its accepted form
     */
    public static JnetstackConfig parse(UnaryOperator<String> lookup) {
        Properties p = new Properties(lookup);
        if (p.get(IPV6) != null) {
            throw new IllegalArgumentException(IPV6 + "=" + p.get(IPV6)
                    + ": IPv6 is not supported yet by jnetstack; remove the property (IPv4 only: " + IPV4 + ")");
        }
        Optional<Integer> processors = p.integer(PROCESSORS, 1, 1024);
        Optional<Path> pcap = Optional.ofNullable(p.get(PCAP)).map(v -> {
            if (v.isBlank()) {
                throw new IllegalArgumentException(PCAP + " is empty: expected a capture file path such as /tmp/jnetstack.pcap");
            }
            return Path.of(v);
        });
        MemoryLimits memory = new MemoryLimits(p.size(TCP_MEMORY, MIN_MEMORY_LIMIT, 1L << 40),
                p.size(REASSEMBLY_MEMORY, MIN_MEMORY_LIMIT, 1L << 30).map(Long::intValue));
        List<FaultRule> faults = p.get(FAULT) == null ? List.of() : p.parse(FAULT, FaultRule::parseAll);
        return new JnetstackConfig(tapSettings(p), pcap, processors, memory, faults);
    }

    private static Optional<TapSettings> tapSettings(Properties p) {
        String device = p.get(TAP);
        if (device == null) {
            for (String onlyWithTap : new String[] {IPV4, GATEWAY, MAC, MTU, OFFLOAD, TAP_QUEUES}) {
                if (p.get(onlyWithTap) != null) {
                    throw new IllegalArgumentException(onlyWithTap + "=" + p.get(onlyWithTap)
                            + " configures the TAP NIC, but " + TAP + " is not set (expected e.g. -D" + TAP + "=tap0)");
                }
            }
            return Optional.empty();
        }
        TapLink.Config link = p.parse(TAP, TapLink.Config::of);
        if (p.get(IPV4) == null) {
            throw new IllegalArgumentException(TAP + "=" + device + " needs an address: set " + IPV4
                    + " to ADDRESS/PREFIX, e.g. -D" + IPV4 + "=10.0.0.2/24");
        }
        IpSubnet address = p.parse(IPV4, v -> {
            IpSubnet s = IpSubnet.parse(v);
            if (!s.address().isV4()) {
                throw new IllegalArgumentException("not an IPv4 address");
            }
            return s;
        });
        Optional<IpAddress> gateway = Optional.ofNullable(p.get(GATEWAY)).map(v -> p.parse(GATEWAY, IpAddress::parse));
        if (gateway.isPresent() && !address.contains(gateway.get())) {
            throw new IllegalArgumentException(GATEWAY + "=" + gateway.get() + " is not inside " + IPV4 + "=" + address
                    + ": the gateway must be on the TAP NIC's subnet");
        }
        Optional<Integer> mtu = p.integer(MTU, TapLink.MIN_MTU, TapLink.MAX_MTU);
        if (mtu.isPresent()) {
            link = link.withMtu(mtu.get());
        }
        if (p.get(OFFLOAD) != null) {
            link = link.withOffload(p.parse(OFFLOAD, TapLink.Offload::parse));
        }
        Optional<Integer> queues = p.integer(TAP_QUEUES, 1, TapLink.MAX_QUEUES);
        if (queues.isPresent()) {
            link = link.withQueues(queues.get());
        }
        if (p.get(MAC) != null) {
            link = link.withMac(p.parse(MAC, v -> {
                LinkAddress mac = LinkAddress.parse(v);
                if (mac.isMulticast() || mac.equals(LinkAddress.NONE)) {
                    throw new IllegalArgumentException("not a unicast MAC address");
                }
                return mac;
            }));
        }
        return Optional.of(new TapSettings(link, address, gateway));
    }

    /** Property lookup that turns a parser's complaint into one naming the property and its form. */
    private record Properties(UnaryOperator<String> lookup) {
        String get(String name) {
            String v = lookup.apply(name);
            return v == null ? null : v.trim();
        }

        <T> T parse(String name, java.util.function.Function<String, T> parser) {
            String v = get(name);
            try {
                return parser.apply(v);
            } catch (IllegalArgumentException e) {
                String reason = e.getMessage().contains("expected") ? e.getMessage()
                        : e.getMessage() + " (expected " + acceptedForm(name) + ")";
                throw new IllegalArgumentException(name + "=" + v + ": " + reason, e);
            }
        }

        Optional<Integer> integer(String name, int min, int max) {
            String v = get(name);
            if (v == null) {
                return Optional.empty();
            }
            int n;
            try {
                n = Integer.parseInt(v);
            } catch (NumberFormatException e) {
                n = min - 1;
            }
            if (n < min || n > max) {
                throw new IllegalArgumentException(name + "=" + v + ": expected an integer from " + min + " to " + max);
            }
            return Optional.of(n);
        }

        /** A byte count, optionally with a binary k, m or g suffix ({@code 64m}), within [min, max]. */
        Optional<Long> size(String name, long min, long max) {
            String v = get(name);
            if (v == null) {
                return Optional.empty();
            }
            long n = parseSize(v);
            if (n < min || n > max) {
                throw new IllegalArgumentException(name + "=" + v + ": expected a size in bytes, or with a k, m or g"
                        + " suffix such as 64m, from " + sizeText(min) + " to " + sizeText(max));
            }
            return Optional.of(n);
        }

        /** {@code n} with the largest suffix that divides it. */
        private static String sizeText(long n) {
            for (int shift = 30; shift > 0; shift -= 10) {
                if (n % (1L << shift) == 0) {
                    return (n >> shift) + "kmg".substring(shift / 10 - 1, shift / 10);
                }
            }
            return Long.toString(n);
        }

        /** The size {@code v} says, or -1 if it is not one. */
        private static long parseSize(String v) {
            String lower = v.toLowerCase(java.util.Locale.ROOT);
            int shift = lower.endsWith("k") ? 10 : lower.endsWith("m") ? 20 : lower.endsWith("g") ? 30 : 0;
            String digits = shift == 0 ? lower : lower.substring(0, lower.length() - 1);
            if (digits.isEmpty() || digits.length() > 12 || !digits.chars().allMatch(Character::isDigit)) {
                return -1;
            }
            return Long.parseLong(digits) << shift;
        }

        private static String acceptedForm(String name) {
            return switch (name) {
                case TAP -> "a TAP device name such as tap0";
                case IPV4 -> "an IPv4 ADDRESS/PREFIX such as 10.0.0.2/24";
                case GATEWAY -> "an IPv4 address such as 10.0.0.1";
                case MAC -> "a unicast MAC address such as 02:00:5e:10:00:01";
                case FAULT -> FaultRuleSyntax.FORM;
                default -> "a valid value";
            };
        }
    }
}
