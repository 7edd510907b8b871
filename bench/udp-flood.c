/* udp-flood.c - a UDP load for bench/overhead.
 *
 *   udp-flood send DST PORT SECONDS   send 64-byte datagrams as fast as possible
 *   udp-flood recv PORT SECONDS       count datagrams received; print the rate
 *
 * recv prints "<datagrams> <datagrams per second>" when the time is up.
 */
#define _GNU_SOURCE /* sendmmsg, recvmmsg */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int flood(const char *dst, int port, double secs)
{
	static char payload[64];
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	struct mmsghdr msgs[BATCH];
	struct iovec iov = { .iov_base = payload, .iov_len = sizeof(payload) };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	double end;
	unsigned long long sent = 0;

	if (fd < 0 || inet_pton(AF_INET, dst, &sa.sin_addr) != 1 ||
	    connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "udp-flood: cannot send to %s:%d: %s\n", dst, port, strerror(errno));
		return 1;
	}
	memset(msgs, 0, sizeof(msgs));
	for (int i = 0; i < BATCH; i++) {
		msgs[i].msg_hdr.msg_iov = &iov;
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	end = now() + secs;
	while (now() < end) {
		int n = sendmmsg(fd, msgs, BATCH, 0);
		if (n > 0)
			sent += (unsigned)n;
	}
	printf("%llu\n", sent);
	return 0;
}

static int count(int port, double secs)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	struct timeval tv = { .tv_sec = 0, .tv_usec = 100000 };
	static char bufs[BATCH][128];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	int fd = socket(AF_INET, SOCK_DGRAM, 0), rcvbuf = 4 << 20;
	unsigned long long got = 0;
	double start = 0, end = 0;

	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "udp-flood: cannot bind port %d: %s\n", port, strerror(errno));
		return 1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	memset(msgs, 0, sizeof(msgs));
	for (int i = 0; i < BATCH; i++) {
		iov[i].iov_base = bufs[i];
		iov[i].iov_len = sizeof(bufs[i]);
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	printf("ready\n");
	fflush(stdout);
	/* The clock starts with the first datagram. */
	for (;;) {
		int n = recvmmsg(fd, msgs, BATCH, 0, NULL);
		double t = now();
		if (n > 0) {
			if (!start) {
				start = t;
				end = t + secs;
			}
			got += (unsigned)n;
		}
		if (start && t >= end)
			break;
		if (!start && n < 0 && errno != EAGAIN && errno != EINTR)
			break;
	}
	printf("%llu %.0f\n", got, start ? (double)got / (now() - start) : 0.0);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "send") == 0)
		return flood(argv[2], atoi(argv[3]), atof(argv[4]));
	if (argc == 4 && strcmp(argv[1], "recv") == 0)
		return count(atoi(argv[2]), atof(argv[3]));
	fprintf(stderr, "usage: udp-flood send DST PORT SECONDS | recv PORT SECONDS\n");
	return 1;
}
