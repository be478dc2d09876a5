// Types for the packaging check, so its vitest test (TypeScript) can import it.
import type { Configuration } from 'app-builder-lib';

export const REQUIRED: string[];
export const NATIVE_BINDING: string;
export const FORBIDDEN: RegExp[];
export function findProblems(
  files: string[],
  facts: { main: string; bindingUnpacked: boolean; packagedPkg: Record<string, unknown> },
): string[];
export function loadConfig(): Promise<Configuration>;
export function validateConfig(config?: Configuration): Promise<void>;
export function stubBuild(options?: { keep?: boolean }): Promise<{
  files: string[];
  problems: string[];
  packagedPkg: Record<string, unknown>;
  outDir: string | null;
}>;
