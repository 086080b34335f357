/*
 * linkem: a userspace link emulator for the NAT lab (this kernel has no netem).
 *
 * It creates two TAP devices, A and B, each in a network namespace of its own
 * choosing, and bridges them: every Ethernet frame read from one is written to
 * the other after the emulated link has had its way with it. Per direction
 * (ab = read from A, written to B; ba = the reverse):
 *
 *   rate    Mbit/s of the bottleneck, on whole frames (0 = no limit): a frame
 *           leaves the bottleneck len*8/rate after the previous one did;
 *   limit   drop-tail queue in front of the bottleneck, in packets and/or bytes
 *           (a frame that finds the queue full is dropped: "qdrop");
 *   delay   one-way propagation delay in ms, added after the bottleneck;
 *   jitter  uniform +-jitter ms on the delay, without reordering (a frame never
 *           leaves before the one in front of it, as on a real wire);
 *   loss    % of frames dropped at random on arrival ("lost").
 *
 * Control, one line per command on stdin, one reply line on stdout:
 *   set ab|ba|both key=value...   keys: delay jitter loss rate limit limit_bytes
 *                                 -> "ok" or "err <why>"
 *   stats                         -> one JSON object with both directions' counters
 *   reset                         -> zero the counters, "ok"
 *   seed N                        -> reseed the loss/jitter generator, "ok"
 * EOF on stdin (the lab went away) ends the process; so does the parent's death.
 *
 * Usage: linkem NS_A IF_A NS_B IF_B   (NS "-" = stay in the current namespace)
 * Prints "ready" once both devices exist; the caller then configures them
 * (addresses, bridge, up) with ip(8).
 *
 * One thread, nonblocking fds, ppoll with a nanosecond timeout to the next
 * departure, timer slack of 1 ns: at idle the added delay is exact to a few
 * microseconds. Under load ppoll wakes late: frames are released up to the
 * measured lateness (a moving average, at most 1 ms) before they are due. Frames are copied into a ring per direction (FIFO: departure
 * times never decrease), so the only per-frame costs are one read and one write.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#define SLOT 2048           /* bytes per frame slot: MTU 1500 frames fit */
#define RING (1u << 16)     /* slots per direction: 65536 (128 MiB address space, touched on use) */
/* The most a packet is released before it is due (the wake-up slack's cap). */
#define SLACK_MAX_NS 1000000ull
#define BURST 64            /* frames read per fd per loop turn */

typedef struct {
  uint64_t due;             /* ns: when it is written to the far side */
  uint64_t txEnd;           /* ns: when it left the bottleneck */
  uint16_t len;
} meta_t;

typedef struct {
  const char *name;
  int in, out;
  /* settings */
  uint64_t delayNs, jitterNs;
  double lossP;             /* 0..1 */
  double nsPerByte;         /* 0 = no rate limit */
  uint32_t limitPkts;       /* 0 = only the ring bounds it */
  uint64_t limitBytes;      /* 0 = no byte limit */
  /* state */
  unsigned char *buf;
  meta_t *meta;
  uint32_t head, tail;      /* ring: [head, tail) queued */
  uint32_t bqHead;          /* first queued frame still in the bottleneck (txEnd > now) */
  uint64_t bqBytes;         /* bytes of frames in [bqHead, tail) */
  uint64_t lastTxEnd, lastDue;
  /* counters */
  uint64_t rx, tx, lost, qdrop, overflow, writeErr, rxBytes, txBytes, maxQueued;
} dir_t;

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint64_t next_rand(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}
static double uniform01(void) { return (next_rand() >> 11) * (1.0 / 9007199254740992.0); }

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void die(const char *what) {
  fprintf(stderr, "linkem: %s: %s\n", what, strerror(errno));
  exit(1);
}

static void enter_ns(const char *ns) {
  if (strcmp(ns, "-") == 0) return;
  char path[512];
  snprintf(path, sizeof path, "/run/netns/%s", ns);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) die(path);
  if (setns(fd, CLONE_NEWNET) < 0) die("setns");
  close(fd);
}

/* A TAP device named `ifname` in namespace `ns` (the device lives in the namespace the fd was opened in). */
static int open_tap(const char *ns, const char *ifname) {
  enter_ns(ns);
  int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) die("/dev/net/tun");
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
  snprintf(ifr.ifr_name, IFNAMSIZ, "%s", ifname);
  if (ioctl(fd, TUNSETIFF, &ifr) < 0) die(ifname);
  return fd;
}

static uint32_t queued(const dir_t *d) { return d->tail - d->head; }

/* Frames whose bottleneck time has passed leave the queue count. */
static void drain_bottleneck(dir_t *d, uint64_t now) {
  while (d->bqHead != d->tail && d->meta[d->bqHead % RING].txEnd <= now) {
    d->bqBytes -= d->meta[d->bqHead % RING].len;
    d->bqHead++;
  }
}

static void on_frame(dir_t *d, uint32_t len, uint64_t now) {
  d->rx++;
  d->rxBytes += len;
  if (d->lossP > 0 && uniform01() < d->lossP) {
    d->lost++;
    return;
  }
  drain_bottleneck(d, now);
  uint32_t inQueue = d->tail - d->bqHead;
  if ((d->limitPkts && inQueue >= d->limitPkts) || (d->limitBytes && d->bqBytes + len > d->limitBytes)) {
    d->qdrop++;
    return;
  }
  if (queued(d) >= RING) {
    d->overflow++;
    return;
  }
  /* The frame was read into the tail slot already. */
  meta_t *m = &d->meta[d->tail % RING];
  uint64_t txStart = d->lastTxEnd > now ? d->lastTxEnd : now;
  uint64_t txEnd = txStart + (uint64_t)(d->nsPerByte * len);
  d->lastTxEnd = txEnd;
  uint64_t due = txEnd + d->delayNs;
  if (d->jitterNs) {
    int64_t j = (int64_t)(uniform01() * 2.0 * (double)d->jitterNs) - (int64_t)d->jitterNs;
    due = (int64_t)due + j < (int64_t)txEnd ? txEnd : (uint64_t)((int64_t)due + j);
  }
  if (due < d->lastDue) due = d->lastDue; /* no reordering */
  d->lastDue = due;
  m->due = due;
  m->txEnd = txEnd;
  m->len = (uint16_t)len;
  d->tail++;
  d->bqBytes += len;
  if (d->nsPerByte == 0) drain_bottleneck(d, now);
  uint32_t q = queued(d);
  if (q > d->maxQueued) d->maxQueued = q;
}

static void read_side(dir_t *d) {
  static unsigned char scratch[SLOT];
  for (int i = 0; i < BURST; i++) {
    /* A full ring must not have its oldest frame overwritten: read into scratch, then drop. */
    unsigned char *slot = queued(d) >= RING ? scratch : d->buf + (size_t)(d->tail % RING) * SLOT;
    ssize_t n = read(d->in, slot, SLOT);
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) return;
      die("read");
    }
    if (n == 0) return;
    on_frame(d, (uint32_t)n, now_ns());
  }
}

/* Write every frame that is due; return the ns until the next one (or UINT64_MAX). */
static uint64_t write_due(dir_t *d, uint64_t now) {
  while (d->head != d->tail) {
    meta_t *m = &d->meta[d->head % RING];
    if (m->due > now) return m->due - now;
    unsigned char *slot = d->buf + (size_t)(d->head % RING) * SLOT;
    if (write(d->out, slot, m->len) < 0) d->writeErr++;
    else {
      d->tx++;
      d->txBytes += m->len;
    }
    if (d->bqHead == d->head) {
      d->bqBytes -= m->len;
      d->bqHead++;
    }
    d->head++;
  }
  return UINT64_MAX;
}

static void print_dir(const dir_t *d) {
  printf("\"%s\":{\"rx\":%llu,\"tx\":%llu,\"lost\":%llu,\"qdrop\":%llu,\"overflow\":%llu,\"writeErr\":%llu,"
         "\"rxBytes\":%llu,\"txBytes\":%llu,\"queued\":%u,\"maxQueued\":%llu}",
         d->name, (unsigned long long)d->rx, (unsigned long long)d->tx, (unsigned long long)d->lost,
         (unsigned long long)d->qdrop, (unsigned long long)d->overflow, (unsigned long long)d->writeErr,
         (unsigned long long)d->rxBytes, (unsigned long long)d->txBytes, queued(d), (unsigned long long)d->maxQueued);
}

static void reset_counters(dir_t *d) {
  d->rx = d->tx = d->lost = d->qdrop = d->overflow = d->writeErr = d->rxBytes = d->txBytes = 0;
  d->maxQueued = queued(d);
}

/* "key=value" pairs after "set DIR"; returns NULL or an error text. */
static const char *apply_set(dir_t *d, char *args) {
  for (char *tok = strtok(args, " \t"); tok; tok = strtok(NULL, " \t")) {
    char *eq = strchr(tok, '=');
    if (!eq) return "expected key=value";
    *eq = 0;
    char *end;
    double v = strtod(eq + 1, &end);
    if (end == eq + 1 || *end || v < 0) return "bad number";
    if (!strcmp(tok, "delay")) d->delayNs = (uint64_t)(v * 1e6);
    else if (!strcmp(tok, "jitter")) d->jitterNs = (uint64_t)(v * 1e6);
    else if (!strcmp(tok, "loss")) {
      if (v > 100) return "loss is a percentage";
      d->lossP = v / 100.0;
    } else if (!strcmp(tok, "rate")) d->nsPerByte = v > 0 ? 8000.0 / v : 0; /* Mbit/s -> ns per byte */
    else if (!strcmp(tok, "limit")) d->limitPkts = (uint32_t)v;
    else if (!strcmp(tok, "limit_bytes")) d->limitBytes = (uint64_t)v;
    else return "unknown key (delay jitter loss rate limit limit_bytes)";
  }
  return NULL;
}

static void command(char *line, dir_t *ab, dir_t *ba) {
  char *nl = strchr(line, '\n');
  if (nl) *nl = 0;
  if (!strncmp(line, "set ", 4)) {
    char *rest = line + 4;
    char *sp = strchr(rest, ' ');
    char *args = sp ? sp + 1 : rest + strlen(rest);
    if (sp) *sp = 0;
    const char *err = NULL;
    char copy[1024];
    snprintf(copy, sizeof copy, "%s", args);
    if (!strcmp(rest, "ab") || !strcmp(rest, "both")) err = apply_set(ab, args);
    if (!err && (!strcmp(rest, "ba") || !strcmp(rest, "both"))) err = apply_set(ba, copy);
    if (!err && strcmp(rest, "ab") && strcmp(rest, "ba") && strcmp(rest, "both")) err = "direction is ab, ba or both";
    if (err) printf("err %s\n", err);
    else printf("ok\n");
  } else if (!strcmp(line, "stats")) {
    printf("{");
    print_dir(ab);
    printf(",");
    print_dir(ba);
    printf("}\n");
  } else if (!strcmp(line, "reset")) {
    reset_counters(ab);
    reset_counters(ba);
    printf("ok\n");
  } else if (!strncmp(line, "seed ", 5)) {
    uint64_t s = strtoull(line + 5, NULL, 10);
    rng = s ? s : 1;
    printf("ok\n");
  } else {
    printf("err unknown command (set, stats, reset, seed)\n");
  }
  fflush(stdout);
}

static void init_dir(dir_t *d, const char *name, int in, int out) {
  memset(d, 0, sizeof *d);
  d->name = name;
  d->in = in;
  d->out = out;
  d->buf = malloc((size_t)RING * SLOT);
  d->meta = malloc((size_t)RING * sizeof(meta_t));
  if (!d->buf || !d->meta) die("malloc");
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: linkem NS_A IF_A NS_B IF_B (NS - = current namespace)\n");
    return 2;
  }
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() == 1) return 1; /* the parent is already gone */
  prctl(PR_SET_TIMERSLACK, 1UL);
  int a = open_tap(argv[1], argv[2]);
  int b = open_tap(argv[3], argv[4]);
  static dir_t ab, ba;
  init_dir(&ab, "ab", a, b);
  init_dir(&ba, "ba", b, a);
  fcntl(0, F_SETFL, fcntl(0, F_GETFL) | O_NONBLOCK);
  printf("ready\n");
  fflush(stdout);

  char line[2048];
  size_t lineLen = 0;
  /* How late ppoll's timeouts wake us (a moving average, ns): packets are released up to
   * that much before they are due, so that on average they leave when due. Without it a
   * busy 2-core machine added its wake-up latency to every emulated delay (a set 20 ms RTT
   * measured 21.1-21.4 ms under the test suites' load). */
  uint64_t slack = 0;
  for (;;) {
    uint64_t now = now_ns();
    uint64_t w1 = write_due(&ab, now + slack), w2 = write_due(&ba, now + slack);
    uint64_t wait = w1 < w2 ? w1 : w2;
    struct pollfd fds[3] = {{a, POLLIN, 0}, {b, POLLIN, 0}, {0, POLLIN, 0}};
    struct timespec ts, *tsp = NULL;
    if (wait != UINT64_MAX) {
      ts.tv_sec = (time_t)(wait / 1000000000ull);
      ts.tv_nsec = (long)(wait % 1000000000ull);
      tsp = &ts;
    }
    int n = ppoll(fds, 3, tsp, NULL);
    if (n < 0) {
      if (errno == EINTR) continue;
      die("ppoll");
    }
    if (n == 0 && tsp) {
      uint64_t woke = now_ns(), asked = now + wait;
      uint64_t late = woke > asked ? woke - asked : 0;
      if (late > SLACK_MAX_NS) late = SLACK_MAX_NS;
      slack = (slack * 7 + late) / 8;
    }
    if (fds[0].revents & POLLIN) read_side(&ab);
    if (fds[1].revents & POLLIN) read_side(&ba);
    if (fds[0].revents & (POLLERR | POLLHUP)) die("tap A");
    if (fds[1].revents & (POLLERR | POLLHUP)) die("tap B");
    if (fds[2].revents & (POLLIN | POLLHUP | POLLERR)) {
      for (;;) {
        ssize_t r = read(0, line + lineLen, sizeof line - 1 - lineLen);
        if (r == 0) return 0; /* EOF: the lab is gone */
        if (r < 0) {
          if (errno == EAGAIN || errno == EINTR) break;
          return 0;
        }
        lineLen += (size_t)r;
        line[lineLen] = 0;
        char *nl;
        while ((nl = memchr(line, '\n', lineLen))) {
          size_t one = (size_t)(nl - line) + 1;
          char cmd[2048];
          memcpy(cmd, line, one);
          cmd[one] = 0;
          command(cmd, &ab, &ba);
          memmove(line, line + one, lineLen - one);
          lineLen -= one;
        }
        if (lineLen == sizeof line - 1) lineLen = 0; /* an over-long line: dropped */
      }
    }
  }
}
