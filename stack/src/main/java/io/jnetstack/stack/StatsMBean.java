package io.jnetstack.stack;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;

/**
 * A read-only JMX view of a set of counters: one {@code long} attribute per counter, read live.
 * Registered by {@link Stack#registerMBeans} so jconsole or any JMX client can watch a running stack.
 */
public final class StatsMBean extends ReadOnlyMBean {
    private final String description;
    private final Supplier<Map<String, Long>> counters;

    public StatsMBean(String description, Supplier<Map<String, Long>> counters) {
        super(info(description, counters.get().keySet()));
        this.description = description;
        this.counters = counters;
    }

    private static MBeanInfo info(String description, Iterable<String> counterNames) {
        List<MBeanAttributeInfo> attributes = new ArrayList<>();
        for (String name : counterNames) {
            attributes.add(new MBeanAttributeInfo(name, "long", name, true, false, false));
        }
        return new MBeanInfo(StatsMBean.class.getName(), description,
                attributes.toArray(new MBeanAttributeInfo[0]), null, null, null);
    }

    @Override
    public Object getAttribute(String attribute) throws AttributeNotFoundException {
        Long value = counters.get().get(attribute);
        if (value == null) {
            throw new AttributeNotFoundException(attribute + " is not a counter of " + description);
        }
        return value;
    }

    /** All from one reading of the counters. */
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
}
