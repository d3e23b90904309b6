/**
 * The request id on results: one helper for every operation.
 *
 * @internal
 * @module
 */
import type { WithRequestID } from "../core/types";

/** Attach the request id as a non-enumerable `_request_id` (kept out of JSON and spreads). */
export function withRequestId<T>(value: T, requestId: string | undefined): WithRequestID<T> {
  if (requestId !== undefined && value !== null && typeof value === "object") {
    Object.defineProperty(value, "_request_id", {
      value: requestId,
      enumerable: false,
      configurable: true,
    });
  }
  return value as WithRequestID<T>;
}
