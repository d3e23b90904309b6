/**
 * The three AI SDK lines the ai-sdk protocol is tested with, installed side by side: the stock
 * `Chat` (useChat's state machine, no DOM) over the stock `DefaultChatTransport`, its fetch wired
 * to a route handler (no socket).
 */

import { Chat as Chat7 } from "@ai-sdk/react";
import { Chat as Chat5 } from "@ai-sdk/react-v2";
import { Chat as Chat6 } from "@ai-sdk/react-v3";
import { DefaultChatTransport as Transport7 } from "ai";
import { DefaultChatTransport as Transport5 } from "ai-v5";
import { DefaultChatTransport as Transport6 } from "ai-v6";

/** What the tests use of a `Chat`, the same on every line. */
export interface ChatLike {
  readonly messages: readonly {
    id: string;
    role: string;
    parts: readonly unknown[];
    metadata?: unknown;
  }[];
  readonly status: string;
  readonly error: Error | undefined;
  sendMessage(message: { text: string }, options?: { body?: object }): Promise<void>;
  resumeStream(): Promise<void>;
  stop(): Promise<void>;
}

export type Fetch = (url: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

const api = "http://app.test/api/chat";

export const LINES: readonly { line: string; chat: (id: string, fetch: Fetch) => ChatLike }[] = [
  {
    line: "ai 5 (@ai-sdk/react 2)",
    chat: (id, fetch) => new Chat5({ id, transport: new Transport5({ api, fetch }) }),
  },
  {
    line: "ai 6 (@ai-sdk/react 3)",
    chat: (id, fetch) => new Chat6({ id, transport: new Transport6({ api, fetch }) }),
  },
  {
    line: "ai 7 (@ai-sdk/react 4)",
    chat: (id, fetch) => new Chat7({ id, transport: new Transport7({ api, fetch }) }),
  },
];
