import fc from "fast-check";

/** A single UTF-16 surrogate, unpaired unless chance pairs it. */
export const loneSurrogate = fc
  .integer({ min: 0xd800, max: 0xdfff })
  .map((c) => String.fromCharCode(c));

/** Pieces that stress the parser: markers, broken markers, prices, dashes, line breaks. */
export const markerPiece = fc.constantFrom(
  "%",
  "%%",
  "&",
  "&&",
  "&&&",
  "{",
  "{{",
  "}}",
  "}",
  " ",
  "\t",
  "\n",
  "\r\n",
  "\r",
  ".",
  "_",
  "%first_name%",
  "%custom_fields.industry%",
  "{{ company }}",
  "{{first_name}}",
  "{{ first name }}",
  "&&say hi to %first_name%&&",
  "%first_name",
  "first_name%",
  "20% off",
  "100%",
  "%E2%80%94",
  "\u2014",
  "\u2013",
  "😀",
  "é",
  "société",
);

/** Anything a string can hold, biased towards template syntax. */
export const hostileString = fc.string({
  unit: fc.oneof(
    { arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }), weight: 3 },
    { arbitrary: loneSurrogate, weight: 1 },
    { arbitrary: markerPiece, weight: 4 },
  ),
  maxLength: 80,
});

/** Full Unicode, astral planes included (no lone surrogates). */
export const binaryString = fc.string({ unit: "binary", maxLength: 120 });

/**
 * A valid variable name. Two-hex-digit names (`%ab%`) are left out: followed by two more hex digits
 * they read as URL encoding by design (see parse.test.ts).
 */
export const variableName = fc.oneof(
  fc.constantFrom(
    "first_name",
    "company",
    "custom_fields.industry",
    "industry",
    "société",
    "_x",
    "a.b",
  ),
  fc
    .stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,12}$/)
    .filter((name) => !/^[0-9A-Fa-f]{2}$/.test(name)),
);

/** Text with no marker characters at all. */
export const plainText = fc.string({
  unit: fc.constantFrom("a", "b", " ", "\n", ",", ".", "1", "2", "é", "😀", "-"),
  maxLength: 12,
});

export type Segment =
  | { kind: "text"; value: string }
  | { kind: "variable"; name: string; syntax: "percent" | "braces" }
  | { kind: "instruction"; inner: string };

export const segment: fc.Arbitrary<Segment> = fc.oneof(
  plainText.map((value) => ({ kind: "text" as const, value })),
  fc.record({
    kind: fc.constant("variable" as const),
    name: variableName,
    syntax: fc.constantFrom("percent" as const, "braces" as const),
  }),
  plainText.map((inner) => ({ kind: "instruction" as const, inner })),
);

export function writeSegment(s: Segment): string {
  if (s.kind === "text") return s.value;
  if (s.kind === "instruction") return `&&${s.inner}&&`;
  return s.syntax === "percent" ? `%${s.name}%` : `{{${s.name}}}`;
}
