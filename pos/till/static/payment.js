// Paying: the method, cash and change, and the sale written to the outbox.
import { cartTotal, renderCart } from "./cart.js";
import { deviceClock, uuid4 } from "./clock.js";
import { formatMoney, formatQuantity, money } from "./money.js";
import { flush, renderOutbox } from "./outbox.js";
import { $, T } from "./page.js";
import { hide, show, state } from "./state.js";
import { outboxPut } from "./store.js";

// ---- payment ----
export function openPayment() {
  state.tendered = null;
  state.notes = [];
  $("undo-note").disabled = true;
  $("pay-total").textContent = formatMoney(cartTotal());
  chooseMethod("cash");
  hide("pay-error");
  show("payment");
}
export function chooseMethod(method) {
  state.method = method;
  document.querySelectorAll("[data-method]").forEach((b) => b.classList.toggle("chosen", b.dataset.method === method));
  $("cash-box").hidden = method !== "cash";
  renderChange();
}
export function renderChange() {
  const tendered = state.tendered ?? cartTotal();
  $("tendered").textContent = formatMoney(tendered);
  $("change").textContent = formatMoney(Math.max(0, tendered - cartTotal()));
}

export async function confirmPayment() {
  // One tap, one sale: a second tap (a double click) while this one works does nothing.
  if (state.paying || !state.cart.length) return;
  state.paying = true;
  $("confirm").disabled = true;
  try {
    await recordPayment();
  } finally {
    state.paying = false;
    $("confirm").disabled = false;
  }
}

export async function recordPayment() {
  const total = cartTotal();
  const payment = { method: state.method, amount: formatMoney(total) };
  if (state.method === "cash" && state.tendered !== null) {
    if (state.tendered < total) {
      $("pay-error").textContent = T.not_enough;
      return show("pay-error");
    }
    payment.tendered = formatMoney(state.tendered);
  }
  const body = {
    lines: state.cart.map((line) => {
      const sent = { product_id: line.product.id, quantity: formatQuantity(line.quantity) };
      if (line.discount) sent.discount = formatMoney(line.discount);
      // The price the buyer saw: recorded as such even if the catalogue changed meanwhile.
      sent.unit_price = formatMoney(line.price);
      return sent;
    }),
    payments: total > 0 ? [payment] : [],
    sold_at: deviceClock(), // the tap's moment, on the clock that cannot jump
  };
  if (state.member) body.member_id = Number(state.member); // who sold, a fact of the sale
  const sale = { key: uuid4(), body, created: Date.now(), change: payment.tendered ? state.tendered - total : 0 };
  await outboxPut(sale); // kept on the phone before the first send
  state.pending = sale.key;
  state.cart = [];
  renderCart();
  hide("payment");
  $("receipt-number").textContent = "…";
  $("print-status").textContent = "";
  $("result-change").hidden = !sale.change;
  $("result-change-amount").textContent = sale.change ? money(formatMoney(sale.change)) : "";
  $("result-state").textContent = "";
  $("reprint").disabled = $("void-last").disabled = true;
  show("result");
  await renderOutbox();
  flush();
}
