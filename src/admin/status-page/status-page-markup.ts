/**
 * The status page's static skeleton: a token form, an error banner and one empty section per
 * part of the status. The browser script fills the sections and unhides those the token's view
 * contains, so a tenant never sees empty "Data planes" or "Tenants" headings.
 */

/** Section ids are shared with the browser script (status-page-script-render.ts). */
export const STATUS_SECTIONS: readonly { readonly id: string; readonly title: string }[] = [
  { id: 'summary', title: 'Summary' },
  { id: 'tenants', title: 'Tenants' },
  { id: 'hosts', title: 'Hosts and owners' },
  { id: 'triggers', title: 'Triggers' },
  { id: 'rejected', title: 'Rejected triggers' },
  { id: 'data-planes', title: 'Data planes' },
  { id: 'manifest-errors', title: 'Manifest errors' },
];

function section({ id, title }: { readonly id: string; readonly title: string }): string {
  return `<section id="${id}" aria-labelledby="${id}-heading" hidden>
<h2 id="${id}-heading">${title}</h2>
<div class="body"></div>
</section>
`;
}

function navLink({ id, title }: { readonly id: string; readonly title: string }): string {
  return `<li data-section="${id}" hidden><a href="#${id}">${title}</a></li>`;
}

// The form has no action: the script handles submit, and `form-action 'none'` in the CSP
// stops a submit from ever putting the token in a URL, even if the script failed to load.
export const STATUS_PAGE_BODY = `<main>
<header>
<h1>triggerway status</h1>
<form id="token-form" class="token" method="post" autocomplete="off">
<label for="token">Admin token</label>
<input id="token" name="token" type="password" autocomplete="off" spellcheck="false" size="28">
<button type="submit">Use token</button>
<button type="button" id="forget-token">Forget token</button>
<span id="token-state" class="muted">No token set.</span>
</form>
</header>
<div id="banner" class="banner" role="alert" hidden></div>
<p id="updated" class="muted">Not loaded yet.</p>
<nav aria-label="Sections"><ul>${STATUS_SECTIONS.map(navLink).join('')}</ul></nav>
${STATUS_SECTIONS.map(section).join('')}</main>
`;
