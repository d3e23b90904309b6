/**
 * `APIPromise`: what every `PuffleClient` method returns. Awaiting it gives the data, as before;
 * `.withResponse()` gives the data with the raw HTTP response and its request id, and
 * `.asResponse()` the response alone (the shape of openai-node's `APIPromise`).
 *
 * @module
 */

/**
 * The data of a call with the HTTP response it came from. For a method that makes several requests
 * (`getOrCreateSession`, `waitForIdle`, `chat`, a dispatch that reconciles a lost answer), the
 * response is that of the last request it made.
 *
 * @example
 * ```ts
 * import { PuffleClient } from "puffle-chat";
 * const puffle = new PuffleClient();
 * const { data, response, requestId } = await puffle
 *   .getSession("3c90c3cc-0d44-4b50-8888-8dd25736052a")
 *   .withResponse();
 * console.log(data.task_status, response.status, response.headers.get("x-ratelimit-remaining"), requestId);
 * ```
 */
export interface APIResponse<T> {
  /** What awaiting the promise gives. */
  data: T;
  /** The HTTP response. Its body is the text the SDK received and can be read once more. */
  response: Response;
  /** The request id the server sent (`x-request-id` and similar), when it sent one. */
  requestId: string | undefined;
}

/**
 * A promise of a method's data that can also give the raw response: `await p` resolves with the
 * data; `await p.withResponse()` with `{ data, response, requestId }`; `await p.asResponse()` with
 * the `Response`. Errors reject all three the same way.
 *
 * @example
 * ```ts
 * import { PuffleClient } from "puffle-chat";
 * const puffle = new PuffleClient();
 * const id = "3c90c3cc-0d44-4b50-8888-8dd25736052a";
 * const session = await puffle.getSession(id); // the data, as always
 * const response = await puffle.getSession(id).asResponse();
 * console.log(session.id, response.status);
 * ```
 */
export class APIPromise<T> extends Promise<T> {
  readonly #raw: Promise<APIResponse<T>>;
  #data: Promise<T> | undefined;

  /** @internal */
  constructor(raw: Promise<APIResponse<T>>) {
    // The base promise is never used: then/catch/finally read from `raw`.
    super((resolve) => resolve(undefined as T));
    this.#raw = raw;
  }

  /** `then`, `catch` and `finally` return plain promises. */
  static override get [Symbol.species]() {
    return Promise;
  }

  /**
   * The data with the HTTP response and the request id.
   *
   * @example
   * ```ts
   * import { PuffleClient } from "puffle-chat";
   * const puffle = new PuffleClient();
   * const { data, requestId } = await puffle.listSessions("3c90c3cc-0d44-4b50-8888-8dd25736052a").withResponse();
   * console.log(data.length, requestId);
   * ```
   */
  withResponse(): Promise<APIResponse<T>> {
    return this.#raw;
  }

  /**
   * The HTTP response alone (its body can be read).
   *
   * @example
   * ```ts
   * import { PuffleClient } from "puffle-chat";
   * const puffle = new PuffleClient();
   * const response = await puffle.getSession("3c90c3cc-0d44-4b50-8888-8dd25736052a").asResponse();
   * console.log(response.status, await response.json());
   * ```
   */
  asResponse(): Promise<Response> {
    return this.#raw.then((r) => r.response);
  }

  #parsed(): Promise<T> {
    this.#data ??= this.#raw.then((r) => r.data);
    return this.#data;
  }

  // biome-ignore lint/suspicious/noThenProperty: a Promise subclass, thenable by design
  override then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#parsed().then(onfulfilled, onrejected);
  }

  override catch<R = never>(
    onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null,
  ): Promise<T | R> {
    return this.#parsed().catch(onrejected);
  }

  override finally(onfinally?: (() => void) | null): Promise<T> {
    return this.#parsed().finally(onfinally);
  }
}
