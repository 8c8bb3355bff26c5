/**
 * Browser-side polling of the status page: the token (kept in sessionStorage, so it lives
 * with the tab and never appears in a URL), `GET /v1/status` every 2 s with at most one
 * request in flight, the "last updated" line and the error banner. On an error the last
 * data stays on screen, and the banner says how old it is.
 */
export const REFRESH_SCRIPT = String.raw`
const TOKEN_KEY = 'triggerway.admin-token';
const REFRESH_MS = 2000;
const TIMEOUT_MS = 10000;

const banner = document.getElementById('banner');
const updated = document.getElementById('updated');
const tokenInput = document.getElementById('token');
const tokenState = document.getElementById('token-state');

let lastBody = '';
let lastShownAt = '';
let inFlight = false;
let again = false;
let generation = 0;
let timer;

// sessionStorage throws where storage is disabled; the page then simply has no token.
function readToken() {
  try { return sessionStorage.getItem(TOKEN_KEY) || ''; } catch { return ''; }
}

function useToken(token) {
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token); else sessionStorage.removeItem(TOKEN_KEY);
  } catch { /* no storage: the banner's 401 will say so */ }
  tokenState.textContent = readToken() ? 'A token is set for this tab.' : 'No token set.';
  // A different token is a different view: forget the old one at once, and drop an answer
  // to the old token still on its way.
  generation += 1;
  lastBody = '';
  lastShownAt = '';
  render(undefined);
  updated.textContent = 'Loading…';
  refresh();
}

function showError(message) {
  banner.textContent = message + (lastShownAt ? ' Showing the data of ' + lastShownAt + '.' : '');
  banner.hidden = false;
  if (!lastShownAt) updated.textContent = 'No data loaded.';
}

function apiMessage(body) {
  try {
    const parsed = JSON.parse(body);
    return parsed && parsed.error && typeof parsed.error.message === 'string' ? parsed.error.message : '';
  } catch {
    return '';
  }
}

function httpError(status, body) {
  const what = status === 401 ? (readToken() ? 'The admin API refused this token' : 'The admin API needs a token: enter one above')
    : status === 403 ? 'This token may not read the status' : 'The admin API failed';
  const message = apiMessage(body);
  return what + ' (HTTP ' + status + (message ? ': ' + message : '') + ').';
}

async function load() {
  const mine = generation;
  const token = readToken();
  const headers = { accept: 'application/json' };
  if (token) headers.authorization = 'Bearer ' + token;
  let response;
  let body;
  try {
    response = await fetch('/v1/status', { headers, cache: 'no-store', credentials: 'omit', signal: AbortSignal.timeout(TIMEOUT_MS) });
    body = await response.text();
  } catch (error) {
    if (mine === generation) showError('Cannot reach the admin API (' + (error && error.message ? error.message : error) + ').');
    return;
  }
  if (mine !== generation) return;
  if (!response.ok) return showError(httpError(response.status, body));
  // Unchanged data is not redrawn, so a hover or a text selection survives the refresh.
  if (body !== lastBody) render(JSON.parse(body));
  lastBody = body;
  lastShownAt = new Date().toLocaleTimeString();
  updated.textContent = 'Last updated ' + lastShownAt + ' (refreshed every ' + REFRESH_MS / 1000 + ' s).';
  banner.hidden = true;
}

// Polls with setTimeout after each answer, never setInterval, so a slow API never gets a
// pile of overlapping requests; a refresh asked for meanwhile runs right after.
async function refresh() {
  if (inFlight) {
    again = true;
    return;
  }
  inFlight = true;
  clearTimeout(timer);
  try {
    await load();
  } catch (error) {
    showError('Cannot show the status: ' + (error && error.message ? error.message : error) + '.');
  } finally {
    inFlight = false;
    timer = setTimeout(refresh, again ? 0 : REFRESH_MS);
    again = false;
  }
}

document.getElementById('token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const token = tokenInput.value.trim();
  tokenInput.value = '';
  useToken(token);
});
document.getElementById('forget-token').addEventListener('click', () => useToken(''));
tokenState.textContent = readToken() ? 'A token is set for this tab.' : 'No token set.';
refresh();
`;
