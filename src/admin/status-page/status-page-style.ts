/**
 * The status page's stylesheet, inlined and allowed by its hash. State is never shown by
 * colour alone: every badge also carries a symbol (✓ ! ✗) and a word.
 */
export const STATUS_PAGE_STYLE = String.raw`
:root {
  color-scheme: light dark;
  --fg: #1f2328; --bg: #ffffff; --muted: #59636e; --line: #d1d9e0; --head: #f6f8fa; --focus: #0969da;
  --ok: #1a7f37; --ok-bg: #dafbe1; --warn: #7d4e00; --warn-bg: #fff8c5; --bad: #c01c28; --bad-bg: #ffebe9;
}
@media (prefers-color-scheme: dark) {
  :root {
    --fg: #e6edf3; --bg: #0d1117; --muted: #9198a1; --line: #3d444d; --head: #151b23; --focus: #4493f8;
    --ok: #3fb950; --ok-bg: #12261e; --warn: #d29922; --warn-bg: #272115; --bad: #f85149; --bad-bg: #2d1214;
  }
}
[hidden] { display: none !important; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
main { max-width: 80rem; margin: 0 auto; padding: 0.75rem 1.5rem 3rem; }
header { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 0.5rem 1.5rem; }
h1 { font-size: 1.4rem; margin: 0.5rem 0; }
h2 { font-size: 1.1rem; margin: 1.75rem 0 0.5rem; padding-bottom: 0.3rem; border-bottom: 1px solid var(--line); }
.token { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem; }
.token label { font-weight: 600; }
input, button { font: inherit; color: inherit; padding: 0.3rem 0.65rem; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); }
button { cursor: pointer; background: var(--head); }
:focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; }
.banner { margin: 1rem 0 0; padding: 0.6rem 0.9rem; border: 1px solid var(--bad); border-left-width: 6px; border-radius: 6px; background: var(--bad-bg); font-weight: 600; }
#updated { margin: 0.6rem 0 0; }
nav ul { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; list-style: none; margin: 0.5rem 0 0; padding: 0; }
a { color: var(--focus); }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; vertical-align: top; padding: 0.4rem 0.6rem; border-bottom: 1px solid var(--line); }
thead th { background: var(--head); font-size: 0.85rem; white-space: nowrap; }
tbody th { font-weight: 600; overflow-wrap: break-word; }
code { font: 0.9em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow-wrap: break-word; }
ul.plain { list-style: none; margin: 0; padding: 0; }
ul.plain > li + li { margin-top: 0.3rem; }
.muted { color: var(--muted); }
.badge { display: inline-block; padding: 0 0.5rem; border: 1px solid currentColor; border-radius: 999px; font-size: 0.85rem; font-weight: 600; white-space: nowrap; }
.ok > .badge, .badge.ok { color: var(--ok); background: var(--ok-bg); }
.warn > .badge, .badge.warn { color: var(--warn); background: var(--warn-bg); }
.bad > .badge, .badge.bad { color: var(--bad); background: var(--bad-bg); }
.reason { font-weight: 600; margin-left: 0.35rem; }
.message { display: block; color: var(--muted); overflow-wrap: break-word; }
.alert { display: block; margin-top: 0.25rem; padding: 0.25rem 0.5rem; border-left: 4px solid var(--bad); background: var(--bad-bg); color: var(--fg); overflow-wrap: break-word; }
dl { margin: 0; }
dl.summary { display: grid; grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr)); gap: 0.6rem 1.25rem; }
dl.summary dt { font-size: 0.8rem; color: var(--muted); }
dl.summary dd { margin: 0; font-weight: 600; overflow-wrap: break-word; }
dl.pairs > div { display: flex; gap: 0.5rem; }
dl.pairs dt { min-width: 2.5rem; color: var(--muted); }
dl.pairs dd { margin: 0; }
`;
