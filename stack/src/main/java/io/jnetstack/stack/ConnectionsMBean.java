package io.jnetstack.stack;

import io.jnetstack.address.IpAddress;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.management.AttributeNotFoundException;
import javax.management.MBeanNotificationInfo;
import javax.management.openmbean.ArrayType;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenMBeanAttributeInfoSupport;
import javax.management.openmbean.OpenMBeanConstructorInfoSupport;
import javax.management.openmbean.OpenMBeanInfoSupport;
import javax.management.openmbean.OpenMBeanOperationInfoSupport;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import javax.management.openmbean.TabularData;
import javax.management.openmbean.TabularDataSupport;
import javax.management.openmbean.TabularType;

/**
 * The stack's sockets over JMX: one read-only attribute, {@value #ATTRIBUTE}, an array of
 * {@link CompositeData} (one per {@link ConnectionSnapshot}, items named as its accessors, the
 * protocol's {@code details} as a table of name and value strings, as an MXBean maps a
 * {@code Map<String, String>}). Any JMX client reads it without jnetstack's classes; the -all
 * jar's {@code ss} command prints it.
 */
public final class ConnectionsMBean extends ReadOnlyMBean {
    public static final String ATTRIBUTE = "Connections";
    static final String[] ITEMS = {"protocol", "state", "localAddress", "localPort", "remoteAddress", "remotePort",
        "receiveQueueBytes", "sendQueueBytes", "owner", "details"};
    static final TabularType DETAILS_TYPE;
    static final CompositeType CONNECTION_TYPE;
    private static final ArrayType<CompositeData[]> CONNECTIONS_TYPE;

    static {
        try {
            CompositeType entry = new CompositeType("DetailEntry", "one protocol value",
                    new String[] {"key", "value"}, new String[] {"name", "value"},
                    new OpenType<?>[] {SimpleType.STRING, SimpleType.STRING});
            DETAILS_TYPE = new TabularType("Details", "the protocol's own values", entry, new String[] {"key"});
            CONNECTION_TYPE = new CompositeType("Connection", "one socket at one moment", ITEMS,
                    new String[] {"transport protocol", "protocol state", "local address", "local port",
                        "peer address (empty for a listener)", "peer port", "Recv-Q: bytes not yet read",
                        "Send-Q: bytes not yet acknowledged", "channel class that opened it", "protocol values"},
                    new OpenType<?>[] {SimpleType.STRING, SimpleType.STRING, SimpleType.STRING, SimpleType.INTEGER,
                        SimpleType.STRING, SimpleType.INTEGER, SimpleType.LONG, SimpleType.LONG, SimpleType.STRING,
                        DETAILS_TYPE});
            CONNECTIONS_TYPE = ArrayType.getArrayType(CONNECTION_TYPE);
        } catch (OpenDataException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Supplier<List<ConnectionSnapshot>> connections;

    public ConnectionsMBean(Supplier<List<ConnectionSnapshot>> connections) {
        super(new OpenMBeanInfoSupport(ConnectionsMBean.class.getName(), "the stack's sockets, as ss lists them",
                new OpenMBeanAttributeInfoSupport[] {new OpenMBeanAttributeInfoSupport(ATTRIBUTE,
                        "a snapshot of every connection and listener", CONNECTIONS_TYPE, true, false, false)},
                new OpenMBeanConstructorInfoSupport[0], new OpenMBeanOperationInfoSupport[0],
                new MBeanNotificationInfo[0]));
        this.connections = connections;
    }

    /** The snapshots as the {@value #ATTRIBUTE} attribute carries them. */
    static CompositeData[] toCompositeData(List<ConnectionSnapshot> snapshots) {
        CompositeData[] result = new CompositeData[snapshots.size()];
        try {
            for (int i = 0; i < result.length; i++) {
                ConnectionSnapshot c = snapshots.get(i);
                TabularData details = new TabularDataSupport(DETAILS_TYPE);
                for (Map.Entry<String, Object> e : c.details().entrySet()) {
                    details.put(new CompositeDataSupport(DETAILS_TYPE.getRowType(), new String[] {"key", "value"},
                            new Object[] {e.getKey(), String.valueOf(e.getValue())}));
                }
                result[i] = new CompositeDataSupport(CONNECTION_TYPE, ITEMS, new Object[] {c.protocol(), c.state(),
                    text(c.localAddress()), c.localPort(), text(c.remoteAddress()), c.remotePort(),
                    c.receiveQueueBytes(), c.sendQueueBytes(), c.owner(), details});
            }
        } catch (OpenDataException e) {
            throw new IllegalStateException("a snapshot does not fit the Connection type: " + e.getMessage(), e);
        }
        return result;
    }

    private static String text(IpAddress address) {
        return address == null ? "" : address.toString();
    }

    @Override
    public Object getAttribute(String attribute) throws AttributeNotFoundException {
        if (!ATTRIBUTE.equals(attribute)) {
            throw new AttributeNotFoundException(attribute + ": the only attribute is " + ATTRIBUTE);
        }
        return toCompositeData(connections.get());
    }
}
