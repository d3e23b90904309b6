import { createHash, randomBytes } from "node:crypto";

/**
 * Identifier helpers: deterministic seeds (hash of a label) for demo data, random ids for the
 * rest.
 *
 * @module
 */

const UUID_RE =
  /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$/;

/** True when `value` is a UUID in the API's pattern (`openapi.yaml`: RFC 4122 v1–8, nil, max). */
export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID_RE.test(value);
}

function hex(label: string): string {
  return createHash("sha256").update(label).digest("hex");
}

function formatV4(h: string): string {
  const variant = ((Number.parseInt(h.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A version-4-shaped UUID derived from `label` (same label, same id). */
export function uuidFrom(label: string): string {
  return formatV4(hex(`puffle-emulator/uuid/${label}`));
}

/** A random version-4 UUID. */
export function randomUuid(): string {
  return formatV4(randomBytes(16).toString("hex"));
}

/** A Puffle API key (`pk_live_` + 64 hex) derived from `label`. */
export function apiKeyFrom(label: string): string {
  return `pk_live_${hex(`puffle-emulator/key/${label}`)}`;
}

const ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";

/** A random lowercase alphanumeric string of `length` characters. */
export function randomAlnum(length: number): string {
  const bytes = randomBytes(length);
  let out = "";
  for (const b of bytes) out += ALNUM.charAt(b % ALNUM.length);
  return out;
}

/** A Trigger.dev public access token: `tr_pat_` + 40 random characters. */
export function newPublicToken(): string {
  return `tr_pat_${randomAlnum(40)}`;
}
