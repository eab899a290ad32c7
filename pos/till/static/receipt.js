// After a sale: its receipt printed again, the sale voided.
import { apiOnce } from "./api.js";
import { $, T } from "./page.js";
import { printWaiting } from "./printing.js";
import { loadStock } from "./stock.js";
import { hide, show, state, toast } from "./state.js";
import { rememberRecorded } from "./today.js";

// ---- after a sale ----
export async function reprint(sale = state.lastSale) {
  if (!sale) return;
  try {
    const { status, data } = await apiOnce("POST", `/sales/${sale.id}/reprint`);
    toast(status === 202 ? T[`print_${data.print_status}`] : (data && data.detail) || status);
    if (status === 202 && data.print_status === "pending") printWaiting();
  } catch (error) {
    toast(T.offline);
  }
}

export function askReason(question = T.void_reason, action = T.void_last) {
  return new Promise((resolve) => {
    $("reason-text").value = "";
    $("reason-label").textContent = question;
    $("reason-ok").textContent = action;
    show("reason");
    $("reason-ok").onclick = () => { hide("reason"); resolve($("reason-text").value.trim() || null); };
    $("reason-cancel").onclick = () => { hide("reason"); resolve(null); };
  });
}

// Void a recorded sale, with a reason; the voided sale, or null.
export async function voidSale(sale) {
  const reason = await askReason();
  if (!reason) return null;
  try {
    const { status, data } = await apiOnce("POST", `/sales/${sale.id}/void`, { reason });
    if (status === 200) {
      await rememberRecorded(data);
      printWaiting(); // the void's receipt, when this phone prints
      loadStock(); // a void puts its quantities back
      return data;
    }
    toast((data && data.detail) || String(status));
  } catch (error) {
    toast(T.offline);
  }
  return null;
}

export async function voidLast() {
  if (!state.lastSale) return;
  const voided = await voidSale(state.lastSale);
  if (voided) {
    state.lastSale = voided;
    $("receipt-number").textContent = voided.receipt_number;
    $("result-state").textContent = T.voided;
    $("void-last").disabled = true;
  }
}
