/** The guide files (`docs/guides/….md`) the README's Guides section links, in its order. */
export function guideFiles(root: string): string[];
