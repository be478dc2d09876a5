// The shapes the renderer may send, as zod schemas. Everything is bounded (ids, counts, string
// lengths) so a compromised or buggy renderer cannot make main allocate or loop without limit,
// and objects are strict: an unexpected key (a `path` where an id belongs) is refused, not ignored.
import { z } from 'zod';
import { MAX_CONNECTIONS, MIN_CONNECTIONS } from '../engine/model.js';
import { MAX_URL_LENGTH } from '../engine/url-policy.js';

export const MAX_IDS = 10_000;
export const MAX_URLS = 1_000;
export const MAX_FILE_NAME = 255;
export const MAX_FOLDER_ID = 100;

/** Methods without a request: the preload sends undefined; some transports turn it into null. */
export const noPayload = z.union([z.undefined(), z.null()]).transform(() => undefined);

export const downloadId = z.int().positive().max(Number.MAX_SAFE_INTEGER);

export const ids = z.array(downloadId).max(MAX_IDS, `At most ${MAX_IDS} downloads at a time.`);

export const idsRequest = z.strictObject({ ids });

export const idRequest = z.strictObject({ id: downloadId });

export const connections = z.int().min(MIN_CONNECTIONS).max(MAX_CONNECTIONS);

/**
 * A name for the saved file, not a path: separators and NUL are refused here (the engine also
 * sanitizes), so the renderer cannot aim a download outside the folder main chose.
 */
export const fileName = z
  .string()
  .min(1)
  .max(MAX_FILE_NAME)
  .refine((s) => !/[/\\\0]/.test(s) && s !== '.' && s !== '..', 'A file name cannot contain a folder.');

export const addRequest = z
  .strictObject({
    urls: z.array(z.string().max(MAX_URL_LENGTH)).min(1, 'Give at least one URL.').max(MAX_URLS, `At most ${MAX_URLS} URLs at a time.`),
    folderId: z.string().min(1).max(MAX_FOLDER_ID).optional(),
    connections: connections.optional(),
    fileName: fileName.optional(),
    checksum: z.string().max(200).optional(),
    paused: z.boolean().optional(),
  })
  .refine((r) => r.fileName === undefined || r.urls.length === 1, { message: 'A file name can only be given with a single URL.', path: ['fileName'] })
  .refine((r) => r.checksum === undefined || r.urls.length === 1, { message: 'A checksum can only be given with a single URL.', path: ['checksum'] });

export const removeRequest = z.strictObject({ ids, deleteFile: z.boolean() });

export const moveRequest = z.strictObject({ id: downloadId, toIndex: z.int().min(0).max(Number.MAX_SAFE_INTEGER) });

export const settingsPatch = z.strictObject({
  maxConcurrent: z.int().min(1).max(100).optional(),
  connections: connections.optional(),
  adaptiveConnections: z.boolean().optional(),
  dropAction: z.enum(['ask', 'add']).optional(),
  keepRunningInTray: z.boolean().optional(),
  notifications: z.boolean().optional(),
  theme: z.enum(['system', 'light', 'dark']).optional(),
});

/** A readable one-liner from zod's issues: "ids.0: Too small: expected number to be >0". */
export function describeIssues(error: z.ZodError): string {
  const parts = error.issues.slice(0, 3).map((issue) => {
    const where = issue.path.length ? `${issue.path.map(String).join('.')}: ` : '';
    return `${where}${issue.message}`;
  });
  const more = error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : '';
  return `The request is not valid: ${parts.join('; ')}${more}.`;
}
