// Types for the build script, so the glue tests (TypeScript) can import it.
export function buildPreload(options?: { outfile?: string }): Promise<string>;
