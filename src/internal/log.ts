/**
 * Logging: level filtering in front of an injectable logger. Every line goes through redaction
 * first, so no key or token can reach a log.
 *
 * @module
 */
import { redactText, redactValue } from "../base/redact";
import type { Logger, LogLevel } from "../core/options";

const RANK: Record<LogLevel, number> = { off: 0, error: 1, warn: 2, info: 3, debug: 4 };

/** True when `value` names a log level. */
export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === "string" && Object.hasOwn(RANK, value);
}

/** The SDK's internal logger: level filtering and redaction in front of the user's logger. */
export interface SdkLogger {
  readonly level: LogLevel;
  error(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
}

/** Build the SDK's logger for a level and a sink (console by default). */
export function createLogger(level: LogLevel, sink: Logger = console): SdkLogger {
  const emit =
    (name: Exclude<LogLevel, "off">) => (message: string, fields?: Record<string, unknown>) => {
      if (RANK[level] < RANK[name]) return;
      const line = `[puffle-chat] ${redactText(message)}`;
      if (fields === undefined) sink[name](line);
      else sink[name](line, redactValue(fields) as Record<string, unknown>);
    };
  return {
    level,
    error: emit("error"),
    warn: emit("warn"),
    info: emit("info"),
    debug: emit("debug"),
  };
}
