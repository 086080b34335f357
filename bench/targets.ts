/**
 * The bench's targets. Each is reported as PASS or FAIL; the exit code is 0
 * either way (it is a benchmark, not a test).
 */

/** The tunnel must keep at least this share of a raw data channel's throughput. */
export const TARGET_RATIO = 0.9;

/** Our relay must carry the relayed tunnel at least as fast as coturn does. */
export const RELAY_TARGET = 1.0;

/** A 64-byte echo through the tunnel may take at most this many times a raw data channel's (means, issue #9). */
export const LATENCY_TARGET = 1.3;
/** Our signal server must relay at least this many times PeerJS's signals per second (--signal-scale)... */
export const SIGNAL_RATE_TARGET = 2.0;
/** ...at no more server memory per registered peer than PeerJS (ours / PeerJS at most this). */
export const SIGNAL_MEMORY_TARGET = 1.0;
