/* netpeer.c - the traffic ipft's tests trace: a few real sockets.
 *
 *   netpeer udp DST PORT COUNT [MARK [SPORT [SIZE [hbh|gso|nodf]]]]
 *                                       send COUNT UDP datagrams (SO_MARK
 *                                       unless MARK is -; from port SPORT
 *                                       unless -; SIZE bytes of payload;
 *                                       hbh: IPv6 with a hop-by-hop
 *                                       options header, PadN only; gso:
 *                                       UDP_SEGMENT, the kernel cuts each
 *                                       into datagrams of 1000 bytes;
 *                                       nodf: IPv4 without DF, which a
 *                                       router may fragment)
 *   netpeer tcp-server PORT [WAIT_MS]   accept one connection, read to EOF
 *                                       (WAIT_MS after the accept: what
 *                                       came meanwhile waits queued)
 *   netpeer tcp-client DST PORT         connect, send a line, close
 *   netpeer tcp-send DST PORT BYTES     connect, send BYTES bytes as fast as
 *                                       TCP takes them, shut down, wait for
 *                                       the server's close
 *   netpeer udp-sink PORT SECONDS       bind, print "bound", never read:
 *                                       datagrams stay queued (alive)
 *   netpeer udp-flood DST PORT SECONDS  send datagrams as fast as it can
 *   netpeer ethtool IFNAME gro|tso on|off
 *                                       set a device's GRO or TSO, as
 *                                       ethtool -K does (the guests'
 *                                       busybox has no ethtool)
 *
 * DST is IPv4 or IPv6 (an address with a ':'); servers bind IPv4.
 * Every mode gives up after 60 seconds (alarm) so a test never hangs; a
 * loaded machine (a sanitizer build attaching) needs that long, not 10.
 * Exit status 0 on success, 1 with a message on stderr otherwise.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103 /* linux/udp.h */
#endif
#define GSO_SIZE 1000

#define SALEN(sa)                                                      \
	((socklen_t)((sa).ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) \
						: sizeof(struct sockaddr_in)))

static int die(const char *what)
{
	fprintf(stderr, "netpeer: %s: %s\n", what, strerror(errno));
	return 1;
}

/* ip: an IPv4 or IPv6 address; NULL: IPv4's any address.  The socket
 * address goes in *sa, its family in sa->ss_family. */
static int parse_addr(const char *ip, const char *port, struct sockaddr_storage *sa)
{
	struct sockaddr_in *in = (struct sockaddr_in *)sa;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)sa;

	memset(sa, 0, sizeof(*sa));
	if (ip && strchr(ip, ':')) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)atoi(port));
		if (inet_pton(AF_INET6, ip, &in6->sin6_addr) == 1)
			return 0;
	} else {
		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)atoi(port));
		if (!ip || inet_pton(AF_INET, ip, &in->sin_addr) == 1)
			return 0;
	}
	fprintf(stderr, "netpeer: bad address '%s'\n", ip);
	return -1;
}

/* A hop-by-hop options header on the socket's IPv6 packets: 8 bytes,
 * PadN alone, which every receiver skips.  A fragmented datagram then
 * carries its fragment header after it. */
static int set_hop_opts(int fd)
{
	static const unsigned char hbh[8] = { 0, 0, 1, 4, 0, 0, 0, 0 };

	if (setsockopt(fd, IPPROTO_IPV6, IPV6_HOPOPTS, hbh, sizeof(hbh)) < 0)
		return die("IPV6_HOPOPTS");
	return 0;
}

/* One send of a larger payload becomes a GSO super-datagram that the
 * kernel cuts into datagrams of GSO_SIZE payload bytes (skb_segment). */
static int set_udp_segment(int fd)
{
	int size = GSO_SIZE;

	if (setsockopt(fd, IPPROTO_UDP, UDP_SEGMENT, &size, sizeof(size)) < 0)
		return die("UDP_SEGMENT");
	return 0;
}

static int udp_send(const char *dst, const char *port, long count, const char *mark,
		    const char *sport, const char *size, const char *opts)
{
	static const char text[] = "ipft-test-datagram";
	static char payload[65507];
	size_t len = size ? strtoul(size, NULL, 0) : sizeof(text) - 1;
	struct sockaddr_storage sa, src;
	int fd;

	if (len > sizeof(payload)) {
		fprintf(stderr, "netpeer: SIZE at most %zu\n", sizeof(payload));
		return 1;
	}
	for (size_t i = 0; i < len; i++) /* the text, repeated */
		payload[i] = text[i % (sizeof(text) - 1)];

	if (parse_addr(dst, port, &sa) < 0)
		return 1;
	if ((fd = socket(sa.ss_family, SOCK_DGRAM, 0)) < 0)
		return die("socket");
	if (sport && strcmp(sport, "-") != 0) {
		/* the any address of DST's family, on port SPORT */
		if (parse_addr(sa.ss_family == AF_INET6 ? "::" : NULL, sport, &src) < 0)
			return 1;
		if (bind(fd, (struct sockaddr *)&src, SALEN(src)) < 0)
			return die("bind SPORT");
	}
	if (mark && strcmp(mark, "-") != 0) {
		unsigned m = (unsigned)strtoul(mark, NULL, 0);
		if (setsockopt(fd, SOL_SOCKET, SO_MARK, &m, sizeof(m)) < 0)
			return die("SO_MARK");
	}
	if (opts && strcmp(opts, "gso") == 0) {
		if (set_udp_segment(fd))
			return 1;
	} else if (opts && strcmp(opts, "nodf") == 0 && sa.ss_family == AF_INET) {
		int dont = IP_PMTUDISC_DONT;
		if (setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &dont, sizeof(dont)) < 0)
			return die("IP_MTU_DISCOVER");
	} else if (opts && (strcmp(opts, "hbh") != 0 || sa.ss_family != AF_INET6)) {
		fprintf(stderr, "netpeer: '%s': the options are gso, nodf with IPv4 and hbh with "
			"IPv6\n", opts);
		return 1;
	} else if (opts && set_hop_opts(fd)) {
		return 1;
	}
	for (long i = 0; i < count; i++) {
		if (sendto(fd, payload, len, 0, (struct sockaddr *)&sa, SALEN(sa)) < 0 &&
		    errno != ECONNREFUSED)
			return die("sendto");
		usleep(20000); /* one at a time: each gets its own trace */
	}
	close(fd);
	return 0;
}

static int udp_flood(const char *dst, const char *port, long seconds)
{
	static const char payload[] = "ipft-test-flood";
	struct sockaddr_storage sa;
	time_t end = time(NULL) + seconds;
	int fd;

	if (parse_addr(dst, port, &sa) < 0)
		return 1;
	if ((fd = socket(sa.ss_family, SOCK_DGRAM, 0)) < 0)
		return die("socket");
	while (time(NULL) < end)
		for (int i = 0; i < 1000; i++)
			sendto(fd, payload, sizeof(payload) - 1, 0, (struct sockaddr *)&sa,
			       SALEN(sa)); /* refusals (ICMP) are the point, not errors */
	close(fd);
	return 0;
}

static int tcp_server(const char *port, long wait_ms)
{
	struct timespec ts = { .tv_sec = wait_ms / 1000, .tv_nsec = wait_ms % 1000 * 1000000 };
	struct sockaddr_storage sa;
	char buf[256];
	int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0), c;

	if (fd < 0)
		return die("socket");
	parse_addr(NULL, port, &sa);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, SALEN(sa)) < 0 || listen(fd, 1) < 0)
		return die("bind/listen");
	printf("listening\n");
	fflush(stdout);
	c = accept(fd, NULL, NULL);
	if (c < 0)
		return die("accept");
	nanosleep(&ts, NULL);
	while (read(c, buf, sizeof(buf)) > 0)
		;
	close(c);
	close(fd);
	return 0;
}

static int tcp_client(const char *dst, const char *port)
{
	static const char line[] = "hello ipft\n";
	struct sockaddr_storage sa;
	int fd;

	if (parse_addr(dst, port, &sa) < 0)
		return 1;
	if ((fd = socket(sa.ss_family, SOCK_STREAM, 0)) < 0)
		return die("socket");
	if (connect(fd, (struct sockaddr *)&sa, SALEN(sa)) < 0)
		return die("connect");
	if (write(fd, line, sizeof(line) - 1) < 0)
		return die("write");
	close(fd);
	return 0;
}

static int tcp_send(const char *dst, const char *port, long bytes)
{
	static char chunk[65536];
	struct sockaddr_storage sa;
	int fd;

	memset(chunk, 'x', sizeof(chunk));
	if (parse_addr(dst, port, &sa) < 0)
		return 1;
	if ((fd = socket(sa.ss_family, SOCK_STREAM, 0)) < 0)
		return die("socket");
	if (connect(fd, (struct sockaddr *)&sa, SALEN(sa)) < 0)
		return die("connect");
	while (bytes > 0) {
		size_t n = bytes < (long)sizeof(chunk) ? (size_t)bytes : sizeof(chunk);
		ssize_t w = write(fd, chunk, n);
		if (w < 0)
			return die("write");
		bytes -= w;
	}
	/* The server reads to EOF and closes: wait for that, so the whole
	 * transfer, FINs included, is on the wire when this returns. */
	if (shutdown(fd, SHUT_WR) < 0)
		return die("shutdown");
	while (read(fd, chunk, sizeof(chunk)) > 0)
		;
	close(fd);
	return 0;
}

static int udp_sink(const char *port, long seconds)
{
	struct sockaddr_storage sa;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0)
		return die("socket");
	if (parse_addr(NULL, port, &sa) < 0)
		return 1;
	if (bind(fd, (struct sockaddr *)&sa, SALEN(sa)) < 0)
		return die("bind");
	printf("bound\n");
	fflush(stdout);
	sleep((unsigned)seconds);
	close(fd);
	return 0;
}

/* One of a device's offloads on or off (the ethtool ioctl's legacy
 * commands, which every kernel still takes). */
static int set_offload(const char *ifname, const char *what, const char *state)
{
	struct ethtool_value v = { .data = strcmp(state, "on") == 0 };
	struct ifreq ifr = { .ifr_data = (char *)&v };
	int fd;

	if (strcmp(what, "gro") == 0)
		v.cmd = ETHTOOL_SGRO;
	else if (strcmp(what, "tso") == 0)
		v.cmd = ETHTOOL_STSO;
	if (!v.cmd || (strcmp(state, "on") && strcmp(state, "off"))) {
		fprintf(stderr, "netpeer: ethtool IFNAME gro|tso on|off\n");
		return 1;
	}
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) < 0)
		return die("socket");
	if (ioctl(fd, SIOCETHTOOL, &ifr) < 0)
		return die(what);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	alarm(60);
	if (argc >= 5 && strcmp(argv[1], "udp") == 0)
		return udp_send(argv[2], argv[3], atol(argv[4]), argc > 5 ? argv[5] : NULL,
				argc > 6 ? argv[6] : NULL, argc > 7 ? argv[7] : NULL,
				argc > 8 ? argv[8] : NULL);
	if ((argc == 3 || argc == 4) && strcmp(argv[1], "tcp-server") == 0)
		return tcp_server(argv[2], argc == 4 ? atol(argv[3]) : 0);
	if (argc == 4 && strcmp(argv[1], "tcp-client") == 0)
		return tcp_client(argv[2], argv[3]);
	if (argc == 5 && strcmp(argv[1], "tcp-send") == 0)
		return tcp_send(argv[2], argv[3], atol(argv[4]));
	if (argc == 4 && strcmp(argv[1], "udp-sink") == 0)
		return udp_sink(argv[2], atol(argv[3]));
	if (argc == 5 && strcmp(argv[1], "udp-flood") == 0)
		return udp_flood(argv[2], argv[3], atol(argv[4]));
	if (argc == 5 && strcmp(argv[1], "ethtool") == 0)
		return set_offload(argv[2], argv[3], argv[4]);
	fprintf(stderr, "usage: netpeer udp DST PORT COUNT [MARK [SPORT [SIZE [hbh|gso|nodf]]]] | tcp-server PORT [WAIT_MS] | "
		"tcp-client DST PORT | tcp-send DST PORT BYTES | udp-sink PORT SECONDS | udp-flood DST PORT SECONDS | "
		"ethtool IFNAME gro|tso on|off\n");
	return 1;
}
