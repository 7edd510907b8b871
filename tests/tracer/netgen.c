/* netgen - send the test traffic ipft's tests and demo trace.
 *
 *   netgen udp ADDR PORT COUNT [MARK]     send COUNT datagrams ("ipft N")
 *   netgen tcp-connect ADDR PORT [MARK]   connect, send a line, close
 *                                         (exit 1 if refused)
 *   netgen tcp-listen ADDR PORT N         accept N connections, read each
 *                                         to its end, then exit
 *
 * ADDR may be IPv4 or IPv6.  MARK sets SO_MARK on the socket, so the
 * packets carry that skb mark from their first hop.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int addr_of(const char *host, const char *port, struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
	int p = atoi(port);

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, host, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)p);
		*len = sizeof(*in);
		return AF_INET;
	}
	if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)p);
		*len = sizeof(*in6);
		return AF_INET6;
	}
	fprintf(stderr, "netgen: bad address '%s'\n", host);
	exit(2);
}

static int sock(int family, int type, const char *mark)
{
	int fd = socket(family, type, 0);

	if (fd < 0) {
		perror("netgen: socket");
		exit(2);
	}
	if (mark) {
		unsigned m = (unsigned)strtoul(mark, NULL, 0);
		if (setsockopt(fd, SOL_SOCKET, SO_MARK, &m, sizeof(m)) < 0) {
			perror("netgen: SO_MARK");
			exit(2);
		}
	}
	return fd;
}

int main(int argc, char **argv)
{
	struct sockaddr_storage ss;
	socklen_t len;
	char buf[4096];

	if (argc >= 5 && strcmp(argv[1], "udp") == 0) {
		int fam = addr_of(argv[2], argv[3], &ss, &len);
		int fd = sock(fam, SOCK_DGRAM, argc > 5 ? argv[5] : NULL);
		for (int i = 0; i < atoi(argv[4]); i++) {
			int n = snprintf(buf, sizeof(buf), "ipft %d\n", i);
			if (sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&ss, len) < 0) {
				perror("netgen: sendto");
				return 1;
			}
		}
		close(fd);
		return 0;
	}
	if (argc >= 4 && strcmp(argv[1], "tcp-connect") == 0) {
		int fam = addr_of(argv[2], argv[3], &ss, &len);
		int fd = sock(fam, SOCK_STREAM, argc > 4 ? argv[4] : NULL);
		if (connect(fd, (struct sockaddr *)&ss, len) < 0) {
			fprintf(stderr, "netgen: connect: %s\n", strerror(errno));
			return 1;
		}
		if (write(fd, "hello from netgen\n", 18) != 18)
			return 1;
		shutdown(fd, SHUT_WR);
		while (read(fd, buf, sizeof(buf)) > 0)
			;
		close(fd);
		return 0;
	}
	if (argc >= 5 && strcmp(argv[1], "tcp-listen") == 0) {
		int fam = addr_of(argv[2], argv[3], &ss, &len), one = 1;
		int fd = sock(fam, SOCK_STREAM, NULL);
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, 16) < 0) {
			perror("netgen: bind/listen");
			return 2;
		}
		for (int i = 0; i < atoi(argv[4]); i++) {
			int c = accept(fd, NULL, NULL);
			if (c < 0)
				return 1;
			while (read(c, buf, sizeof(buf)) > 0)
				;
			close(c);
		}
		close(fd);
		return 0;
	}
	fprintf(stderr, "usage: netgen udp ADDR PORT COUNT [MARK] | tcp-connect ADDR PORT [MARK] | "
		"tcp-listen ADDR PORT N\n");
	return 2;
}
