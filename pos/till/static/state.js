// What the till holds while it runs, and the screens' small helpers.
import { $, T } from "./page.js";

// ---- state ----
export const state = {
  products: [],
  cart: [], // {product, quantity (thousandths), price (centimes), discount (centimes)}
  method: "cash",
  tendered: null,
  pending: null, // the key of the sale just paid, waiting for its receipt number
  lastSale: null,
  member: sessionStorage.getItem("pos_member"),
  flushQueued: false,
  paying: false,
  notes: [], // the cash notes tapped for this payment, to take the last one back
  lastAnswer: null, // when the server last answered anything
  catalogueAt: null, // when the booth's products last changed, as the last heartbeat said
};

export function toast(text) {
  const box = $("toast");
  box.textContent = text;
  box.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => (box.hidden = true), 4000);
}
// One tap, one record (an order, a contact): a second tap while ``action`` keeps the first
// does nothing.
export async function oneTap(action) {
  if (state.recording) return;
  state.recording = true;
  try {
    await action();
  } finally {
    state.recording = false;
  }
}
export function show(id) { $(id).hidden = false; }
export function hide(id) { $(id).hidden = true; }

export function translateStatic() {
  document.querySelectorAll("[data-t]").forEach((el) => (el.textContent = T[el.dataset.t]));
  $("search").placeholder = T.search;
}
