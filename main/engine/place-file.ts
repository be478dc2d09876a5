// Choosing a file's name without overwriting anything, and moving the finished `.part` into place.
// An existing user file is never replaced unless the user asked (`--overwrite`).
import fs from 'node:fs/promises';
import path from 'node:path';
import { numberedName, PART_SUFFIX } from './file-name.js';
import { OutputExistsError, StorageError, toFerryError } from './errors.js';
import { PartFile } from './part-file.js';

const MAX_NUMBER = 9999;

async function exists(p: string): Promise<boolean> {
  try {
    await fs.lstat(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * Reserves `name`, or `name (1).ext`, `name (2).ext`, ... in `directory`: the first whose final
 * name is free, is not taken by another download (`isTaken`), and whose `.part` can be created
 * exclusively. Creating the `.part` with O_EXCL makes the reservation race-free.
 */
export async function reserveName(
  directory: string,
  name: string,
  isTaken: (fileName: string) => boolean,
  claim: (fileName: string) => void | Promise<void> = () => {},
): Promise<{ fileName: string; part: PartFile }> {
  for (let n = 0; n <= MAX_NUMBER; n++) {
    const candidate = numberedName(name, n);
    if (isTaken(candidate) || (await exists(path.join(directory, candidate)))) continue;
    try {
      // Recorded before the .part exists: a kill right after creating it must not orphan it.
      await claim(candidate);
      const part = await createMakingFolder(path.join(directory, candidate + PART_SUFFIX));
      return { fileName: candidate, part };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw toFerryError(error);
    }
  }
  throw new StorageError('NAME_EXHAUSTED', `Could not find a free name for ${name} in ${directory}.`);
}

/** Creates `file` exclusively; its folder is made only when missing (rarely: not per file). */
export async function createMakingFolder(file: string): Promise<PartFile> {
  try {
    return await PartFile.create(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    await fs.mkdir(path.dirname(file), { recursive: true });
    return PartFile.create(file);
  }
}

/**
 * Moves the finished `.part` to its final name and returns the name used. Without `overwrite`,
 * a file that appeared at the target meanwhile is kept: a fixed name (`-o FILE`) fails with
 * OUTPUT_EXISTS (the data stays in the .part), a server-given name moves on to `name (n).ext`.
 */
export async function moveIntoPlace(
  directory: string,
  fileName: string,
  options: { overwrite: boolean; fixedName: boolean },
): Promise<string> {
  const part = path.join(directory, fileName + PART_SUFFIX);
  if (options.overwrite) {
    await fs.rename(part, path.join(directory, fileName)).catch((e: unknown) => {
      throw toFerryError(e);
    });
    return fileName;
  }
  for (let n = 0; n <= MAX_NUMBER; n++) {
    const candidate = numberedName(fileName, n);
    const target = path.join(directory, candidate);
    if (await linkNoClobber(part, target)) return candidate;
    if (options.fixedName) throw new OutputExistsError(target);
  }
  throw new StorageError('NAME_EXHAUSTED', `Could not find a free name for ${fileName} in ${directory}.`);
}

/** link+unlink never replaces an existing file (rename would); falls back where links are unsupported. */
async function linkNoClobber(from: string, to: string): Promise<boolean> {
  try {
    await fs.link(from, to);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // A crash between link() and unlink() leaves both names on one file: finish the move.
    if (code === 'EEXIST' && (await sameFile(from, to))) {
      await fs.unlink(from).catch(() => {});
      return true;
    }
    if (code === 'EEXIST') return false;
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'EXDEV' || code === 'ENOSYS') {
      if (await exists(to)) return false;
      await fs.rename(from, to).catch((e: unknown) => {
        throw toFerryError(e);
      });
      return true;
    }
    throw toFerryError(error);
  }
  await fs.unlink(from).catch(() => {});
  return true;
}

async function sameFile(a: string, b: string): Promise<boolean> {
  try {
    const [sa, sb] = await Promise.all([fs.stat(a), fs.stat(b)]);
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return false;
  }
}
