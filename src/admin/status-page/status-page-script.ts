/**
 * The status page's one inline script: the DOM helpers, the section renderers and the
 * polling loop, in one strict-mode closure so nothing leaks onto `window`.
 */
import { DOM_SCRIPT } from './status-page-script-dom.js';
import { REFRESH_SCRIPT } from './status-page-script-refresh.js';
import { RENDER_SCRIPT } from './status-page-script-render.js';

export const STATUS_PAGE_SCRIPT = `
(() => {
'use strict';
${DOM_SCRIPT}${RENDER_SCRIPT}${REFRESH_SCRIPT}})();
`;
