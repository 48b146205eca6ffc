package io.jnetstack.stack;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * A read-only JMX view of a set of counters: one {@code long} attribute per counter, read live.
 * Registered by {@link Stack#registerMBeans} so jconsole or any JMX client can watch a running stack.
 */
public final class StatsMBean implements DynamicMBean {
    private final String description;
    private final Supplier<Map<String, Long>> counters;
    private final MBeanInfo info;

    public StatsMBean(String description, Supplier<Map<String, Long>> counters) {
        this.description = description;
        this.counters = counters;
        List<MBeanAttributeInfo> attributes = new ArrayList<>();
        for (String name : counters.get().keySet()) {
            attributes.add(new MBeanAttributeInfo(name, "long", name, true, false, false));
        }
        this.info = new MBeanInfo(StatsMBean.class.getName(), description,
                attributes.toArray(new MBeanAttributeInfo[0]), null, null, null);
    }

    /** Registers {@code bean} with the platform MBean server under {@code name}. */
    static void register(String name, StatsMBean bean) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            ObjectName objectName = new ObjectName(name);
            if (server.isRegistered(objectName)) {
                server.unregisterMBean(objectName);
            }
            server.registerMBean(bean, objectName);
        } catch (JMException e) {
            throw new IllegalArgumentException("cannot register MBean " + name + ": " + e.getMessage(), e);
        }
    }

    /** Unregisters {@code name} if it is registered. */
    static void unregister(String name) {
        try {
            ObjectName objectName = new ObjectName(name);
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            if (server.isRegistered(objectName)) {
                server.unregisterMBean(objectName);
            }
        } catch (JMException e) {
            throw new IllegalArgumentException("cannot unregister MBean " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Object getAttribute(String attribute) throws AttributeNotFoundException {
        Long value = counters.get().get(attribute);
        if (value == null) {
            throw new AttributeNotFoundException(attribute + " is not a counter of " + description);
        }
        return value;
    }

    @Override
    public void setAttribute(Attribute attribute) {
        throw new UnsupportedOperationException("counters are read-only");
    }

    @Override
    public AttributeList getAttributes(String[] attributes) {
        Map<String, Long> snapshot = counters.get();
        AttributeList list = new AttributeList();
        for (String a : attributes) {
            Long value = snapshot.get(a);
            if (value != null) {
                list.add(new Attribute(a, value));
            }
        }
        return list;
    }

    @Override
    public AttributeList setAttributes(AttributeList attributes) {
        return new AttributeList();
    }

    @Override
    public Object invoke(String actionName, Object[] params, String[] signature) {
        throw new UnsupportedOperationException("counters have no operations");
    }

    @Override
    public MBeanInfo getMBeanInfo() {
        return info;
    }
}
