package io.jnetstack.tap;

import jnr.ffi.Pointer;
import jnr.ffi.types.u_int32_t;
import jnr.ffi.types.u_int64_t;

/**
 * The libc calls jnr-posix does not offer: {@code ioctl} (to attach to a TAP device and set its
 * offloads), {@code poll} and {@code eventfd} (so a reader thread can block on the device and
 * still be woken on close).
 * Public only because jnr-ffi generates its implementation in another class loader.
 */
public interface LinuxLibC {
    /** {@code _IOW('T', 202, int)} from linux/if_tun.h. */
    long TUNSETIFF = 0x400454caL;
    short IFF_TUN = 0x0001;
    short IFF_TAP = 0x0002;
    short IFF_MULTI_QUEUE = 0x0100;
    short IFF_NO_PI = 0x1000;
    /** Every frame read or written starts with a struct virtio_net_hdr (see {@link VirtioNetHeader}). */
    short IFF_VNET_HDR = 0x4000;
    /** {@code _IOW('T', 208, unsigned int)}: the offloads the reader can take, passed by value. */
    long TUNSETOFFLOAD = 0x400454d0L;
    /** {@code _IOW('T', 216, int)}: the virtio header's length, passed by pointer. */
    long TUNSETVNETHDRSZ = 0x400454d8L;
    /** TUNSETOFFLOAD flags: we complete checksums, and take unsegmented TCP over IPv4 and IPv6. */
    int TUN_F_CSUM = 0x01;
    int TUN_F_TSO4 = 0x02;
    int TUN_F_TSO6 = 0x04;
    /** struct ifreq: the interface name in the first 16 bytes, then a union (flags as a short). */
    int IFREQ_SIZE = 40;
    int IFNAMSIZ = 16;
    int IFREQ_FLAGS_OFFSET = 16;

    /** struct pollfd: int fd; short events; short revents. */
    int POLLFD_SIZE = 8;
    short POLLIN = 0x001;
    short POLLERR = 0x008;
    short POLLHUP = 0x010;
    short POLLNVAL = 0x020;

    /** Same values as O_NONBLOCK and O_CLOEXEC on Linux. */
    int EFD_NONBLOCK = 0x800;
    int EFD_CLOEXEC = 0x80000;

    int ioctl(int fd, @u_int64_t long request, Pointer argument);

    /** The form of ioctl whose argument is a value, not a pointer (TUNSETOFFLOAD). */
    int ioctl(int fd, @u_int64_t long request, @u_int64_t long argument);

    int poll(Pointer fds, @u_int64_t long count, int timeoutMillis);

    int eventfd(@u_int32_t int initialValue, int flags);
}
