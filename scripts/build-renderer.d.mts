// Types for the build script, so the e2e tests (TypeScript) can import it.
export function buildRenderer(options?: { outdir?: string; minify?: boolean }): Promise<string>;
