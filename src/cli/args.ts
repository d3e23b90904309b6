/**
 * Parsers for numeric flags (used as commander `argParser`s).
 *
 * @module
 */

import { InvalidArgumentError } from "commander";

/**
 * Parse a whole number of milliseconds (0 to 1 hour) for `--task-duration`.
 *
 * @throws {InvalidArgumentError} when the value is not such a number.
 * @example
 * ```ts
 * parseDuration("1500"); // 1500
 * ```
 */
export function parseDuration(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n > 3_600_000) {
    throw new InvalidArgumentError("expected milliseconds, a whole number from 0 to 3600000.");
  }
  return n;
}

/**
 * Parse a rate limit: requests per minute, a whole number from 1 to 1,000,000.
 *
 * @throws {InvalidArgumentError} when the value is not such a number.
 * @example
 * ```ts
 * parsePerMinute("120"); // 120
 * ```
 */
export function parsePerMinute(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1 || n > 1_000_000) {
    throw new InvalidArgumentError(
      "expected requests per minute, a whole number from 1 to 1000000.",
    );
  }
  return n;
}

/**
 * Parse a TCP port (0 means a free port).
 *
 * @throws {InvalidArgumentError} when the value is not a port number.
 * @example
 * ```ts
 * parsePort("4010"); // 4010
 * ```
 */
export function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n > 65_535) {
    throw new InvalidArgumentError("expected a port number from 0 to 65535.");
  }
  return n;
}

/**
 * A whole number from 1 to 50 (`--concurrency`, `--max-turns-per-node`).
 *
 * @example
 * ```ts
 * parseCount("2"); // 2
 * ```
 */
export function parseCount(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1 || n > 50) {
    throw new InvalidArgumentError("expected a whole number from 1 to 50.");
  }
  return n;
}
