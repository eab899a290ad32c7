// The page the till runs in: its words (T), its elements ($), the booth and the device's token.

// The booth till. No framework, no build step.
//
// Every sale is written to an outbox in IndexedDB, with its Idempotency-Key,
// before it is sent; the outbox is sent whenever the network allows, oldest
// first, so a sale made offline, or while the page is reloaded, is delivered
// once. One tab of the phone sends at a time (Web Locks); the others hear what
// changed (BroadcastChannel). A sale the server refused stays in the outbox,
// marked refused, until someone sends it again or sets it aside.

export const T = JSON.parse(document.getElementById("strings").textContent);
export const $ = (id) => document.getElementById(id);
export const EXHIBITOR = Number(document.body.dataset.exhibitor);
// The fair's offset from UTC in minutes, by the server's time zone data.
export const FAIR_OFFSET_MINUTES = Number(document.body.dataset.utcOffset || 0);
export const TOKEN = localStorage.getItem("pos_token");
export const RETRY_MS = 3000;

if (!TOKEN || Number(localStorage.getItem("pos_exhibitor")) !== EXHIBITOR) {
  location.replace("/till/pair");
}
