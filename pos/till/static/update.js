// A new version of the till, taken between two sales.
import { $ } from "./page.js";
import { state } from "./state.js";

// ---- a new version of the till: taken between sales ----
// Never with a cart open, a payment on screen or a sale being sent: the outbox and the
// refused sales are in IndexedDB and live through the reload.
export function idle() {
  return !state.cart.length && !state.paying && !state.sending &&
    $("payment").hidden && $("result").hidden && $("keypad").hidden;
}

export function reloadWhenIdle() {
  state.updateWaiting = true;
  $("update-ready").hidden = false;
  if (idle()) location.reload();
}

// Whether the server has a new till: its service worker's bytes changed. Looked for at the
// start, whenever the server answers again after a silence, and every ten minutes.
export function lookForUpdate() {
  if (!("serviceWorker" in navigator)) return Promise.resolve();
  return navigator.serviceWorker.register("/till/sw.js", { scope: "/till" })
    .then((registration) => registration.update()).catch(() => {});
}
