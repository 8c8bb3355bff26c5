/** A DirectorySource, alone or wired to an AdmissionController as `serve` wires them, for end-to-end tests. */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { AdmissionController, type AdmissionUpdate } from '../../src/control/admission-controller.js';
import { DirectorySource, type DirectorySourceOptions } from '../../src/sources/directory-source.js';
import type { ManifestSource } from '../../src/sources/manifest-source.js';
import { EventQueue } from './event-queue.js';
import { onTestEnd } from './tmp-dir.js';

export interface WatchedDirectory {
  readonly source: ManifestSource;
  /** How many sets the source has handed to onChange so far. */
  changes(): number;
  /** What was reported through onError. */
  readonly errors: Error[];
}

/** A DirectorySource with test defaults (50 ms quiet time, no poll: changes must come from watchers), closed when the test ends. */
export function watchDirectory(t: TestContext, options: DirectorySourceOptions): WatchedDirectory {
  const errors: Error[] = [];
  const directory = new DirectorySource({ quietMs: 50, pollIntervalMs: 0, onError: (error) => errors.push(error), ...options });
  onTestEnd(t, () => directory.close());
  let changes = 0;
  const source: ManifestSource = {
    start: (onChange) =>
      directory.start((set) => {
        changes++;
        onChange(set);
      }),
    close: () => directory.close(),
  };
  return { source, changes: () => changes, errors };
}

export interface WatchedAdmission extends WatchedDirectory {
  readonly first: AdmissionUpdate;
  /** Updates after the first, in order. */
  readonly updates: EventQueue<AdmissionUpdate>;
  close(): Promise<void>;
}

export async function watchAndAdmit(t: TestContext, options: DirectorySourceOptions): Promise<WatchedAdmission> {
  const watched = watchDirectory(t, options);
  const updates = new EventQueue<AdmissionUpdate>();
  const controller = new AdmissionController({
    source: watched.source,
    dataDir: options.dataDir,
    onUpdate: updates.push,
    onError: (error) => watched.errors.push(error),
  });
  onTestEnd(t, () => controller.close());
  const first = await controller.start();
  assert.equal(await updates.next(0), first, 'start() passes the first update to onUpdate too');
  return { ...watched, first, updates, close: () => controller.close() };
}
