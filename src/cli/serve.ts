/** `triggerway serve`: load and watch manifests, admit every change, log the admitted table. */
import { resolve } from 'node:path';
import { AdmissionController } from '../control/admission-controller.js';
import { DirectorySource } from '../sources/directory-source.js';
import { createLogger, LOG_FORMATS } from '../util/logger.js';
import { logAdmission } from './log-admission.js';
import { choiceOption, integerOption, parseOptions, stringOption } from './options.js';
import type { Output } from './output.js';
import { UsageError } from './usage-error.js';

export const SERVE_HELP = `Usage: triggerway serve --triggers DIR [options]

Loads every manifest under DIR (*.yaml, *.yml, *.json, recursively), admits
them, watches DIR and re-admits on every change, logging each change of the
admitted route table, every refused trigger and every manifest error. A file
with an error keeps its last good version in effect until it is fixed.

Options:
  --triggers DIR        manifest directory (required)
  --data-dir DIR        state kept across restarts: first-seen times of
                        triggers and host owners (default: .triggerway)
  --debounce-ms N       quiet time that ends a burst of file changes
                        (default: 100)
  --log-format FORMAT   text or json (default: text)
  -h, --help            show this help

Stops cleanly on SIGINT or SIGTERM.`;

export async function runServe(argv: readonly string[], output: Output, stop: AbortSignal): Promise<number> {
  const parsed = parseOptions(
    'serve',
    argv,
    {
      triggers: { type: 'string' },
      'data-dir': { type: 'string' },
      'debounce-ms': { type: 'string' },
      'log-format': { type: 'string' },
    },
    false,
  );
  if (parsed.values['help']) {
    output.out(SERVE_HELP);
    return 0;
  }
  const triggers = parsed.values['triggers'];
  if (typeof triggers !== 'string') throw new UsageError('--triggers DIR is required', 'serve');
  const dataDir = resolve(stringOption(parsed, 'data-dir', '.triggerway'));
  const quietMs = integerOption('serve', parsed, 'debounce-ms', 100, 0, 60_000);
  const log = createLogger(choiceOption('serve', parsed, 'log-format', LOG_FORMATS, 'text'), output.out);

  let errors = new Set<string>();
  const source = new DirectorySource({
    root: resolve(triggers),
    dataDir,
    quietMs,
    onError: (error) => log.error('manifest source failed; keeping the last admitted table', { error: error.message }),
  });
  const controller = new AdmissionController({
    source,
    dataDir,
    onUpdate: (update) => {
      errors = logAdmission(log, update, errors);
    },
    onError: (error) => log.error('admission failed; keeping the last admitted table', { error: error.message }),
  });
  await controller.start();
  log.info('watching for changes', { triggers: resolve(triggers), dataDir });
  await new Promise<void>((resolveStop) => {
    if (stop.aborted) resolveStop();
    else stop.addEventListener('abort', () => resolveStop(), { once: true });
  });
  await controller.close();
  log.info('stopped');
  return 0;
}
