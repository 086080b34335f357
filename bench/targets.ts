/**
 * The bench's two targets. Each is reported as PASS or FAIL; the exit code is 0
 * either way (it is a benchmark, not a test).
 */

/** The tunnel must keep at least this share of a raw data channel's throughput. */
export const TARGET_RATIO = 0.9;

/** Our relay must carry the relayed tunnel at least as fast as coturn does. */
export const RELAY_TARGET = 1.0;
