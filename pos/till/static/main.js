// The till's start: the screens wired, the outbox and the printer started, the heartbeat.
import { api, tabs } from "./api.js";
import { renderCart } from "./cart.js";
import { loadCatalogue, renderGrid } from "./catalogue.js";
import { wireContacts } from "./contacts.js";
import { keypad } from "./keypad.js";
import { loadMembers, showLock } from "./members.js";
import { parseMoney } from "./money.js";
import { wireOrders } from "./orders.js";
import { flush, onRecorded, renderOutbox, setOnline } from "./outbox.js";
import { $, T, TOKEN } from "./page.js";
import { chooseMethod, confirmPayment, openPayment, renderChange } from "./payment.js";
import { loadPrinting, wirePrinting } from "./printing.js";
import { addProduct } from "./products.js";
import { reprint, voidLast } from "./receipt.js";
import { renderRefused } from "./refused.js";
import { hide, show, state, translateStatic } from "./state.js";
import { adoptOldRefused, isSale, outboxAll, refusedAll } from "./store.js";
import { openToday } from "./today.js";
import { lookForUpdate, reloadWhenIdle } from "./update.js";

// ---- wiring ----
export function wire() {
  $("search").addEventListener("input", renderGrid);
  $("pay").addEventListener("click", openPayment);
  document.querySelectorAll("[data-method]").forEach((b) => b.addEventListener("click", () => chooseMethod(b.dataset.method)));
  // Notes add up as the buyer hands them over: 200 + 100 + 50.
  document.querySelectorAll("[data-quick]").forEach((b) => b.addEventListener("click", () => {
    state.notes.push(Number(b.dataset.quick) * 100);
    state.tendered = (state.tendered ?? 0) + state.notes.at(-1);
    $("undo-note").disabled = false;
    renderChange();
  }));
  // A note tapped by mistake is taken back, the last one first.
  $("undo-note").addEventListener("click", () => {
    const note = state.notes.pop();
    if (note === undefined) return;
    state.tendered = state.notes.length ? state.tendered - note : null;
    $("undo-note").disabled = !state.notes.length;
    renderChange();
  });
  $("tendered").addEventListener("click", async () => {
    const typed = await keypad(T.tendered, { decimals: 2 });
    if (typed !== null && parseMoney(typed) !== null) {
      state.tendered = parseMoney(typed);
      state.notes = [];
      $("undo-note").disabled = true;
      renderChange();
    }
  });
  $("cancel-pay").addEventListener("click", () => hide("payment"));
  $("confirm").addEventListener("click", confirmPayment);
  $("new-sale").addEventListener("click", () => {
    hide("result");
    if (state.lockWanted) showLock();
    if (state.updateWaiting) reloadWhenIdle(); // between two sales: the moment to update
  });
  $("reprint").addEventListener("click", () => reprint());
  $("void-last").addEventListener("click", voidLast);
  $("open-today").addEventListener("click", openToday);
  $("today-close").addEventListener("click", () => hide("today"));
  $("open-catalogue").addEventListener("click", () => show("catalogue"));
  $("catalogue-close").addEventListener("click", () => hide("catalogue"));
  $("product-form").addEventListener("submit", addProduct);
  $("switch-member").addEventListener("click", () => { state.member = null; sessionStorage.removeItem("pos_member"); loadMembers(); });
  wireOrders();
  wireContacts();
  window.addEventListener("online", () => { setOnline(true); flush(); });
  if (tabs) {
    tabs.onmessage = ({ data }) => {
      if (data.kind === "recorded" && data.key === state.pending) onRecorded({ key: data.key }, data.sale);
      renderOutbox();
      renderRefused();
    };
  }
  window.addEventListener("offline", () => setOnline(false));
}

export async function start() {
  translateStatic();
  wire();
  wirePrinting();
  renderCart();
  setOnline(navigator.onLine);
  if ("serviceWorker" in navigator) {
    // A worker taking over from another means a new version of the till: taken between
    // sales. The first one taking over a page that had none changes nothing.
    let controlled = Boolean(navigator.serviceWorker.controller);
    navigator.serviceWorker.addEventListener("controllerchange", () => {
      if (controlled) reloadWhenIdle();
      controlled = true;
    });
    lookForUpdate();
    setInterval(lookForUpdate, 10 * 60_000);
  }
  // Unsent sales are the only copy: ask the browser not to evict the till's storage.
  if (navigator.storage && navigator.storage.persist) {
    navigator.storage.persist().then((kept) => { state.storageKept = kept; }).catch(() => {});
  }
  await adoptOldRefused();
  await renderOutbox();
  flush(); // anything left from before a reload goes first
  // Tell the organisers this booth is open, now and every minute.
  // ...and what waits on this phone: sales not yet sent, since when, and refused ones.
  const heartbeat = async () => {
    // Sales only: the figures they would change (orders and contacts wait beside them).
    const waiting = (await outboxAll()).filter(isSale);
    const refused = (await refusedAll()).filter(isSale).length;
    const oldest = waiting.length ? Math.min(...waiting.map((item) => item.created)) : null;
    const report = {
      outbox: waiting.length,
      oldest_waiting_at: oldest === null ? null : new Date(oldest).toISOString(),
      refused,
    };
    try {
      const { status, data } = await api("POST", "/devices/heartbeat", report);
      // The organiser changed the booth's products (a price, one withdrawn): read them again.
      const changed = status === 200 && data ? data.catalogue_changed_at : null;
      if (changed && state.catalogueAt && changed !== state.catalogueAt) loadCatalogue();
      if (changed) state.catalogueAt = changed;
    } catch (error) {
      /* offline: said again at the next beat */
    }
  };
  window.addEventListener("online", heartbeat); // back on the network: say so at once
  heartbeat();
  setInterval(heartbeat, 60_000);
  await Promise.all([loadCatalogue(), loadMembers(), loadPrinting()]);
}

if (TOKEN) start();
