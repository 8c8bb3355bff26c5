/**
 * `triggerway` from the build tree this bench was compiled into: the same two lines as
 * bin/triggerway.js, which always loads dist/, while a bench built elsewhere (tsc --outDir)
 * must measure the router built with it.
 */
import { main } from '../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
