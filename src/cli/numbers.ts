/**
 * The CLI's numeric flags, parsed once by commander (argParser) instead of
 * `Number()` in each action: a bad value (not a whole number, negative, out of
 * the port range, a bad MIN-MAX) stops the command before it starts, with
 * commander's usual line, e.g.
 *   error: option '--port <port>' argument 'abc' is invalid. Expected a port number, 0 to 65535.
 * and exit code 1. Pure, apart from commander's error type.
 */
import { InvalidArgumentError, Option } from 'commander';

/** Highest TCP/UDP port. */
export const MAX_PORT = 65535;

/** Only plain decimal digits: `Number()` would also take '', ' 8 ', '0x1F', '1e3' and '-0'. */
const WHOLE = /^\d+$/;

/** A port, 0 to 65535 (0: let the system choose, as the tests and the bench do). */
export function parsePort(value: string): number {
  const n = WHOLE.test(value) ? Number(value) : NaN;
  if (!(n >= 0 && n <= MAX_PORT)) throw new InvalidArgumentError(`Expected a port number, 0 to ${MAX_PORT}.`);
  return n;
}

/** A count or a rate: a whole number, 0 or more. */
export function parseCount(value: string): number {
  const n = WHOLE.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError('Expected a whole number, 0 or more.');
  return n;
}

/** `MIN-MAX`, a range of ports that can be bound (so not 0), MIN <= MAX. */
export function parsePortRange(value: string): { min: number; max: number } {
  const m = /^(\d+)-(\d+)$/.exec(value);
  const min = m ? Number(m[1]) : NaN;
  const max = m ? Number(m[2]) : NaN;
  if (!(min >= 1 && max <= MAX_PORT && min <= max)) throw new InvalidArgumentError(`Expected MIN-MAX, two port numbers with 1 <= MIN <= MAX <= ${MAX_PORT}.`);
  return { min, max };
}

/**
 * An option whose value goes through `parse`. A default is given as the text a
 * user would type: it is parsed the same way, and help still shows that text.
 */
export function numericOption<T>(flags: string, description: string, parse: (value: string) => T, defaultText?: string): Option {
  const option = new Option(flags, description).argParser((value: string) => parse(value));
  return defaultText === undefined ? option : option.default(parse(defaultText), JSON.stringify(defaultText));
}

/** A whole number from `min` to `max` (both included). */
export function wholeIn(min: number, max: number): (value: string) => number {
  return (value: string): number => {
    const n = WHOLE.test(value) ? Number(value) : NaN;
    if (!(n >= min && n <= max)) throw new InvalidArgumentError(`Expected a whole number, ${min} to ${max}.`);
    return n;
  };
}
