import {
  createEmulator,
  type Emulator,
  type EmulatorOptions,
  type ListeningEmulator,
} from "../../src/testing";

/** A listening emulator with short timings, and fetch helpers bound to it. */
export interface Harness {
  emu: Emulator;
  server: ListeningEmulator;
  url: string;
  key: string;
  api(
    path: string,
    init?: {
      method?: string;
      body?: unknown;
      key?: string | null;
      headers?: Record<string, string>;
    },
  ): Promise<Response>;
  json<T = Record<string, unknown>>(
    path: string,
    init?: {
      method?: string;
      body?: unknown;
      key?: string | null;
      headers?: Record<string, string>;
    },
  ): Promise<{ status: number; body: T; headers: Headers }>;
  createSession(): Promise<string>;
  turn(
    id: string,
    message: string,
    extra?: Record<string, unknown>,
  ): Promise<{ runId: string; publicAccessToken: string }>;
  waitIdle(id: string): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export const FAST: EmulatorOptions = { taskDurationMs: 40, liveHoldMs: 300, pingIntervalMs: 50 };

export async function startHarness(options: EmulatorOptions = FAST): Promise<Harness> {
  const emu = createEmulator(options);
  const server = await emu.listen();
  return makeHarness(emu, server.url, server.apiKey, () => server.close(), server);
}

export function makeHarness(
  emu: Emulator,
  url: string,
  key: string,
  close: () => Promise<void>,
  server?: ListeningEmulator,
): Harness {
  const api: Harness["api"] = (path, init = {}) => {
    const headers: Record<string, string> = { ...init.headers };
    const k = init.key === undefined ? key : init.key;
    if (k !== null) headers.authorization = `Bearer ${k}`;
    if (init.body !== undefined) headers["content-type"] = "application/json";
    return fetch(`${url}${path}`, {
      method: init.method ?? (init.body === undefined ? "GET" : "POST"),
      headers,
      ...(init.body === undefined
        ? {}
        : { body: typeof init.body === "string" ? init.body : JSON.stringify(init.body) }),
    });
  };
  const json: Harness["json"] = async (path, init) => {
    const res = await api(path, init);
    const text = await res.text();
    return {
      status: res.status,
      body: text ? JSON.parse(text) : null,
      headers: res.headers,
    } as never;
  };
  const h: Harness = {
    emu,
    server: server as ListeningEmulator,
    url,
    key,
    api,
    json,
    async createSession() {
      const res = await json<{ session: { id: string } }>("/api/campaigns/ai-chat-sessions", {
        body: { campaign_id: emu.demo.campaignId, node_id: emu.demo.nodeId },
      });
      if (res.status !== 201) throw new Error(`create failed ${res.status}`);
      return res.body.session.id;
    },
    async turn(id, message, extra = {}) {
      const res = await json<{ runId: string; publicAccessToken: string }>(
        `/api/campaigns/ai-chat-sessions/${id}/turn`,
        {
          body: { message, ...extra },
        },
      );
      if (res.status !== 200)
        throw new Error(`turn failed ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
    async waitIdle(id) {
      for (let i = 0; i < 400; i++) {
        const res = await json<{ session: Record<string, unknown> }>(
          `/api/campaigns/ai-chat-sessions/${id}`,
        );
        if (res.body.session.task_status === null) return res.body.session;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error("session never became idle");
    },
    close,
  };
  return h;
}

/** Read a whole SSE answer (it ends when the run is finished and drained). */
export async function readSse(
  url: string,
  token: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string; headers: Headers }> {
  const res = await fetch(url, {
    headers: { authorization: `Bearer ${token}`, accept: "text/event-stream", ...headers },
  });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

/** Parse v1 SSE text into events with id and data. */
export function parseSse(text: string): { id?: string; event?: string; data: string }[] {
  const out: { id?: string; event?: string; data: string }[] = [];
  for (const block of text.split("\n\n")) {
    const ev: { id?: string; event?: string; data: string } = { data: "" };
    let has = false;
    for (const line of block.split("\n")) {
      if (line.startsWith(":") || line === "") continue;
      const [field, ...rest] = line.split(":");
      const value = rest.join(":").replace(/^ /, "");
      if (field === "id") ev.id = value;
      else if (field === "event") ev.event = value;
      else if (field === "data") ev.data = ev.data ? `${ev.data}\n${value}` : value;
      has = true;
    }
    if (has) out.push(ev);
  }
  return out;
}

/** Make new tasks of `emu` last ten minutes until the returned function is called (then fast-forward them). */
export function holdTasks(emu: Emulator): () => Promise<void> {
  const previous = emu.settings.taskDurationMs;
  emu.settings.taskDurationMs = 600_000;
  return async () => {
    emu.settings.taskDurationMs = previous;
    await emu.finishTasks();
  };
}
