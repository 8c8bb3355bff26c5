/**
 * Which files hold manifests: a file given directly, or every `*.yaml`, `*.yml` and
 * `*.json` below a directory. Names starting with `.` are skipped: editor swap files, the
 * `.triggerway/` data dir and Kubernetes ConfigMap internals (`..data`, `..2024_…`), whose
 * files are reached through the mount's top-level symlinks. Symlinks are followed, since
 * ConfigMap mounts are made of them; each real directory is entered once, so a symlink loop
 * ends and no file is listed twice through two routes to one directory.
 */
import { readdir, realpath, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';

const MANIFEST_FILE = /\.(ya?ml|json)$/;

export interface ManifestTree {
  /** Manifest files, paths as reached from the root, sorted in code-unit order. */
  readonly files: readonly string[];
  /**
   * Directories whose entries decide the listing, for watching: the directories walked, or
   * the file's parent when the root is a file.
   */
  readonly directories: readonly string[];
}

export async function listManifestFiles(root: string): Promise<string[]> {
  return [...(await scanManifestTree(root)).files];
}

export async function scanManifestTree(root: string): Promise<ManifestTree> {
  const top = await stat(root).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
    throw Object.assign(new Error(`manifest path ${root} does not exist`), { code: 'ENOENT', path: root });
  });
  if (!top.isDirectory()) return { files: [root], directories: [dirname(root)] };
  const files: string[] = [];
  const directories: string[] = [];
  const entered = new Set<string>();
  const walk = async (directory: string): Promise<void> => {
    const real = await realpath(directory);
    if (entered.has(real)) return;
    entered.add(real);
    const entries = await readdir(directory, { withFileTypes: true });
    directories.push(directory);
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(directory, entry.name);
      const kind = entry.isSymbolicLink() ? await stat(path).catch(vanished) : entry;
      // Below the root, a directory deleted while we walk lists as nothing.
      if (kind?.isDirectory()) await walk(path).catch(vanished);
      else if (kind?.isFile() && MANIFEST_FILE.test(entry.name)) files.push(path);
    }
  };
  await walk(root);
  // The default sort compares UTF-16 code units: the same order on every machine and locale.
  return { files: files.sort(), directories: directories.sort() };
}

/** A dangling symlink (a ConfigMap swap in progress, a deleted target) or a vanished entry lists as nothing. */
function vanished(error: NodeJS.ErrnoException): undefined {
  if (error.code === 'ENOENT') return undefined;
  throw error;
}

