/* cgprobe CGROUP_DIR OP [ARG]: moves itself into the cgroup v2 directory CGROUP_DIR (unless it is "-"), then does
 * one operation, so that cgroup programs see it as a process of that cgroup. Prints what happened; exits 0 on
 * success and with the errno of the failing call otherwise.
 *
 *   tcp-connect4 PORT   connect a TCP socket to 127.0.0.1:PORT, send "hi", print the peer's port
 *   udp-send4 PORT      send "hello" from an unconnected UDP socket to 127.0.0.1:PORT
 *   udp-socket          create an AF_INET SOCK_DGRAM socket
 *   tcp-bind4 PORT      bind a TCP socket to 127.0.0.1:PORT and print the bound port
 *   sockopt             setsockopt(SOL_SOCKET, SO_KEEPALIVE, 1) on a TCP socket, then print getsockopt's value
 *   read PATH           read a file and print its first line
 *   open PATH           open a file read-only
 *   packet-send4 IF PORT  send an Ethernet frame with an IPv4/UDP datagram 127.0.0.1:4242 -> 127.0.0.1:PORT through an
 *                       AF_PACKET socket on interface IF (the kernel runs the flow dissector on such frames)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int fail(const char *what)
{
	int e = errno;
	printf("fail %s errno %d (%s)\n", what, e, strerror(e));
	return e ? e : 1;
}

static struct sockaddr_in loopback(int port)
{
	struct sockaddr_in a;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons(port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

static int enter(const char *cgroup)
{
	char path[4096];
	if (strcmp(cgroup, "-") == 0) return 0;
	snprintf(path, sizeof path, "%s/cgroup.procs", cgroup);
	FILE *f = fopen(path, "w");
	if (!f) return fail("open cgroup.procs");
	if (fprintf(f, "%d\n", getpid()) < 0 || fclose(f) != 0) return fail("write cgroup.procs");
	return 0;
}

static unsigned short ip_checksum(const void *header, int length)
{
	const unsigned short *words = header;
	unsigned int sum = 0;
	for (int i = 0; i < length / 2; i++)
		sum += words[i];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (unsigned short)~sum;
}

static int packet_send4(const char *interface, int port)
{
	unsigned char frame[sizeof(struct ether_header) + sizeof(struct iphdr) + sizeof(struct udphdr) + 4];
	struct ether_header *eth = (struct ether_header *)frame;
	struct iphdr *ip = (struct iphdr *)(eth + 1);
	struct udphdr *udp = (struct udphdr *)(ip + 1);
	memset(frame, 0, sizeof frame);
	eth->ether_type = htons(ETHERTYPE_IP);
	ip->version = 4;
	ip->ihl = 5;
	ip->ttl = 64;
	ip->protocol = IPPROTO_UDP;
	ip->tot_len = htons(sizeof frame - sizeof *eth);
	ip->saddr = ip->daddr = htonl(INADDR_LOOPBACK);
	ip->check = ip_checksum(ip, sizeof *ip);
	udp->source = htons(4242);
	udp->dest = htons(port);
	udp->len = htons(sizeof *udp + 4);
	memcpy(udp + 1, "flow", 4);

	struct sockaddr_ll to;
	memset(&to, 0, sizeof to);
	to.sll_family = AF_PACKET;
	to.sll_protocol = htons(ETH_P_IP);
	to.sll_ifindex = if_nametoindex(interface);
	to.sll_halen = ETH_ALEN;
	if (!to.sll_ifindex) return fail("if_nametoindex");
	int s = socket(AF_PACKET, SOCK_RAW, 0);
	if (s < 0) return fail("socket");
	if (sendto(s, frame, sizeof frame, 0, (struct sockaddr *)&to, sizeof to) != (ssize_t)sizeof frame) return fail("sendto");
	printf("sent frame\n");
	close(s);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: cgprobe CGROUP_DIR OP [ARG]\n");
		return 2;
	}
	int r = enter(argv[1]);
	if (r) return r;
	const char *op = argv[2];
	const char *arg = argc > 3 ? argv[3] : "";

	if (strcmp(op, "tcp-connect4") == 0) {
		struct sockaddr_in to = loopback(atoi(arg)), peer;
		socklen_t len = sizeof peer;
		int s = socket(AF_INET, SOCK_STREAM, 0);
		if (s < 0) return fail("socket");
		if (connect(s, (struct sockaddr *)&to, sizeof to) < 0) return fail("connect");
		if (send(s, "hi", 2, 0) != 2) return fail("send");
		if (getpeername(s, (struct sockaddr *)&peer, &len) < 0) return fail("getpeername");
		printf("connected peer %d\n", ntohs(peer.sin_port));
		close(s);
		return 0;
	}
	if (strcmp(op, "udp-send4") == 0) {
		struct sockaddr_in to = loopback(atoi(arg));
		int s = socket(AF_INET, SOCK_DGRAM, 0);
		if (s < 0) return fail("socket");
		if (sendto(s, "hello", 5, 0, (struct sockaddr *)&to, sizeof to) != 5) return fail("sendto");
		printf("sent\n");
		close(s);
		return 0;
	}
	if (strcmp(op, "udp-socket") == 0) {
		int s = socket(AF_INET, SOCK_DGRAM, 0);
		if (s < 0) return fail("socket");
		printf("created\n");
		close(s);
		return 0;
	}
	if (strcmp(op, "tcp-bind4") == 0) {
		struct sockaddr_in at = loopback(atoi(arg)), bound;
		socklen_t len = sizeof bound;
		int s = socket(AF_INET, SOCK_STREAM, 0);
		if (s < 0) return fail("socket");
		if (bind(s, (struct sockaddr *)&at, sizeof at) < 0) return fail("bind");
		if (getsockname(s, (struct sockaddr *)&bound, &len) < 0) return fail("getsockname");
		printf("bound %d\n", ntohs(bound.sin_port));
		close(s);
		return 0;
	}
	if (strcmp(op, "sockopt") == 0) {
		int on = 1, value = 0;
		socklen_t len = sizeof value;
		int s = socket(AF_INET, SOCK_STREAM, 0);
		if (s < 0) return fail("socket");
		if (setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on) < 0) return fail("setsockopt");
		if (getsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &value, &len) < 0) return fail("getsockopt");
		printf("keepalive %d\n", value);
		close(s);
		return 0;
	}
	if (strcmp(op, "read") == 0) {
		char line[256] = "";
		int fd = open(arg, O_RDONLY);
		if (fd < 0) return fail("open");
		ssize_t n = read(fd, line, sizeof line - 1);
		if (n < 0) return fail("read");
		line[n] = 0;
		printf("read %s", line);
		close(fd);
		return 0;
	}
	if (strcmp(op, "open") == 0) {
		int fd = open(arg, O_RDONLY);
		if (fd < 0) return fail("open");
		printf("opened\n");
		close(fd);
		return 0;
	}
	if (strcmp(op, "packet-send4") == 0 && argc > 4)
		return packet_send4(arg, atoi(argv[4]));
	fprintf(stderr, "unknown operation %s\n", op);
	return 2;
}
