package io.jnetstack.stack;

import java.lang.management.ManagementFactory;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.JMException;
import javax.management.MBeanInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * A JMX view the stack publishes: attributes read live, nothing settable, no operations; and
 * its registration with the platform MBean server.
 */
abstract class ReadOnlyMBean implements DynamicMBean {
    private final MBeanInfo info;

    ReadOnlyMBean(MBeanInfo info) {
        this.info = info;
    }

    /** Registers {@code bean} with the platform MBean server under {@code name}, replacing one there. */
    static void register(String name, DynamicMBean bean) {
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

    /** The attributes of {@code attributes} that exist, each read once. */
    @Override
    public AttributeList getAttributes(String[] attributes) {
        AttributeList list = new AttributeList();
        for (String a : attributes) {
            try {
                list.add(new Attribute(a, getAttribute(a)));
            } catch (AttributeNotFoundException e) {
                // as the contract says: attributes that cannot be read are left out
            }
        }
        return list;
    }

    @Override
    public void setAttribute(Attribute attribute) {
        throw new UnsupportedOperationException(info.getDescription() + ": read-only");
    }

    @Override
    public AttributeList setAttributes(AttributeList attributes) {
        return new AttributeList();
    }

    @Override
    public Object invoke(String actionName, Object[] params, String[] signature) {
        throw new UnsupportedOperationException(info.getDescription() + ": no operations");
    }

    @Override
    public MBeanInfo getMBeanInfo() {
        return info;
    }

    @Override
    public abstract Object getAttribute(String attribute) throws AttributeNotFoundException;
}
