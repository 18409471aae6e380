/* Header layouts shared by the benchmark programs; the C# side declares the same structs in
 * CsPrograms/Packets.cs (field for field), so both sides read the packet the same way. */
#pragma once
#include <linux/types.h>

#define ETH_P_IP 0x0800
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17

struct mac_addr { __u8 bytes[6]; };

struct eth_hdr {
	struct mac_addr dst;
	struct mac_addr src;
	__be16 proto;
};

struct ipv4_hdr {
	__u8 version_ihl;
	__u8 tos;
	__be16 total_length;
	__be16 id;
	__be16 fragment_offset;
	__u8 ttl;
	__u8 protocol;
	__be16 checksum;
	__be32 saddr;
	__be32 daddr;
};

struct l4_ports {
	__be16 sport;
	__be16 dport;
};
