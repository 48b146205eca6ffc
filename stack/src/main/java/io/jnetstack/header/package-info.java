/**
 * Wire formats, in the manner of smoltcp's {@code wire}: views that read and write the fields of
 * Ethernet, ARP, IPv4, ICMPv4, UDP and TCP headers (and TCP options) in place, and the Internet
 * checksum (RFC 1071, with RFC 1624 incremental updates). No protocol logic lives here.
 */
package io.jnetstack.header;
