// The content script is registered dynamically so that the sites on the user's opt-out list get
// nothing injected at all (docs/autofill.md rule 12), not merely an idle script.
const ID = "keyfill-content";
export const CONTENT_SCRIPT = "extension/content/content.js";

/** Match patterns for a host and its subdomains. */
const patternsFor = (host) => [`*://${host}/*`, `*://*.${host}/*`];

export async function syncContentScript(optOutSites) {
  const script = {
    id: ID,
    js: [CONTENT_SCRIPT],
    matches: ["http://*/*", "https://*/*"],
    excludeMatches: optOutSites.flatMap(patternsFor),
    allFrames: true,
    matchOriginAsFallback: true,
    runAt: "document_idle",
    persistAcrossSessions: true,
  };
  const existing = await chrome.scripting.getRegisteredContentScripts({ ids: [ID] });
  if (existing.length) await chrome.scripting.updateContentScripts([script]);
  else await chrome.scripting.registerContentScripts([script]);
}
