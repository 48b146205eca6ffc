package io.jnetstack.tap;

import jnr.ffi.Pointer;
import jnr.ffi.types.u_int32_t;
import jnr.ffi.types.u_int64_t;

/**
 * The libc calls jnr-posix does not offer: {@code ioctl} (to attach to a TAP device), {@code poll}
 * and {@code eventfd} (so the reader thread can block on the device and still be woken on close).
 * Public only because jnr-ffi generates its implementation in another class loader.
 */
public interface LinuxLibC {
    /** {@code _IOW('T', 202, int)} from linux/if_tun.h. */
    long TUNSETIFF = 0x400454caL;
    short IFF_TUN = 0x0001;
    short IFF_TAP = 0x0002;
    short IFF_MULTI_QUEUE = 0x0100;
    short IFF_NO_PI = 0x1000;
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

    int poll(Pointer fds, @u_int64_t long count, int timeoutMillis);

    int eventfd(@u_int32_t int initialValue, int flags);
}
