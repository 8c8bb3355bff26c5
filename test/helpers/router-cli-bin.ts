/**
 * The CLI entry of the build this file is compiled into. bin/triggerway.js always runs
 * dist/, so a test built into another output directory spawns this instead to run its own
 * build (and its own router workers, which node:cluster forks from that build too).
 */
import { main } from '../../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
