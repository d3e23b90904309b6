/**
 * Type tests of the options specs (checked by tsc, never run): a spec built with `defineSpec<T>()`
 * must list exactly the keys of `T`. A missing key, an extra key written out or an extra key that
 * arrives through a spread each fail to compile; every `@ts-expect-error` is an assertion (an
 * unused one fails tsc).
 */
import { describe, expectTypeOf, it } from "vitest";
import type {
  ChatOptions,
  ClientOptions,
  DispatchOptions,
  FinishSessionOptions,
  PollOptions,
  RealtimeOptions,
  RequestOptions,
  WaitOptions,
} from "../../src/core/options";
import {
  CHAT_OPTIONS,
  type Check,
  CLIENT_OPTIONS,
  DISPATCH_OPTIONS,
  defineSpec,
  FINISH_SESSION_OPTIONS,
  type Keys,
  POLL_OPTIONS,
  REALTIME_OPTIONS,
  REQUEST_OPTIONS,
  WAIT_OPTIONS,
} from "../../src/internal/check-options";

declare const check: Check;
interface Two {
  a?: number | undefined;
  b?: string | undefined;
}
const wide = { a: check, b: check, c: check };

describe("defineSpec", () => {
  it("accepts exactly the keys of its interface", () => {
    defineSpec<Two>()({ a: check, b: check });
    defineSpec<Two>()({ ...{ a: check }, b: check });
  });

  it("refuses a spec missing a key", () => {
    // @ts-expect-error b is missing
    defineSpec<Two>()({ a: check });
  });

  it("refuses an extra key written out", () => {
    // @ts-expect-error c is not a key of Two
    defineSpec<Two>()({ a: check, b: check, c: check });
  });

  it("refuses an extra key that comes through a spread", () => {
    // @ts-expect-error c arrives through the spread
    defineSpec<Two>()({ ...wide });
  });

  it("refuses a value that is not a check", () => {
    // @ts-expect-error a must be a Check
    defineSpec<Two>()({ a: 1, b: check });
  });
});

describe("every exported spec has exactly its interface's keys", () => {
  it("the composed and the plain specs", () => {
    expectTypeOf(REQUEST_OPTIONS.keys).toEqualTypeOf<Keys<RequestOptions>>();
    expectTypeOf(DISPATCH_OPTIONS.keys).toEqualTypeOf<Keys<DispatchOptions>>();
    expectTypeOf(WAIT_OPTIONS.keys).toEqualTypeOf<Keys<WaitOptions>>();
    expectTypeOf(CHAT_OPTIONS.keys).toEqualTypeOf<Keys<ChatOptions>>();
    expectTypeOf(POLL_OPTIONS.keys).toEqualTypeOf<Keys<PollOptions>>();
    expectTypeOf(REALTIME_OPTIONS.keys).toEqualTypeOf<Keys<RealtimeOptions>>();
    expectTypeOf(CLIENT_OPTIONS.keys).toEqualTypeOf<Keys<ClientOptions>>();
    expectTypeOf(FINISH_SESSION_OPTIONS.keys).toEqualTypeOf<Keys<FinishSessionOptions>>();
  });

  it("chat options are the wait options (but run) and the dispatch options", () => {
    expectTypeOf<keyof ChatOptions>().toEqualTypeOf<
      Exclude<keyof WaitOptions, "run"> | keyof DispatchOptions
    >();
  });
});
