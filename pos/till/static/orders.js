// Orders to deliver after the fair: the cart ordered by a buyer, with a deposit paid now
// (a sale of its own, with its receipt); both kept in the outbox and sent like sales.
import { renderCart } from "./cart.js";
import { deviceClock } from "./clock.js";
import { formatMoney, formatQuantity, lineAmount, money, parseMoney, parseQuantity } from "./money.js";
import { enqueue, flush, renderOutbox } from "./outbox.js";
import { $, EXHIBITOR, T } from "./page.js";
import { hide, oneTap, show, state, toast } from "./state.js";

// What the server will count: each line at its price, less its discount.
export const orderTotal = (body) => body.lines.reduce((sum, line) => sum
  + lineAmount(parseQuantity(line.quantity), parseMoney(line.unit_price)) - parseMoney(line.discount || "0"), 0);

// The cart as ordered: its prices and discounts, as the buyer saw them.
function orderLines() {
  return state.cart.map((line) => ({
    product_id: line.product.id,
    quantity: formatQuantity(line.quantity),
    unit_price: formatMoney(line.price),
    discount: formatMoney(line.discount),
  }));
}

export function openOrder() {
  if (!state.cart.length) return;
  const form = $("order-form");
  form.reset();
  form.delivery_date.min = new Date().toISOString().slice(0, 10);
  $("order-total").textContent = money(formatMoney(orderTotal({ lines: orderLines() })));
  hide("order-error");
  show("order");
  form.buyer_name.focus();
}

function problem(text) {
  $("order-error").textContent = text;
  show("order-error");
}

export function recordOrder(event) {
  event.preventDefault();
  return oneTap(() => keepOrder(event.target));
}

async function keepOrder(form) {
  const lines = orderLines();
  const total = orderTotal({ lines });
  const deposit = form.deposit.value.trim() ? parseMoney(form.deposit.value) : 0;
  if (deposit === null || deposit > total) return problem(T.deposit_range);
  const depositProduct = state.products.find((product) => product.kind === "deposit");
  if (deposit && !depositProduct) return problem(T.deposit_unavailable);
  const made = deviceClock();
  const member = state.member ? { member_id: Number(state.member) } : {};
  let depositKey = null;
  if (deposit) {
    // The deposit: a sale of the booth's deposit product at the amount paid, with its receipt.
    const sale = await enqueue("sale", null, {
      lines: [{ product_id: depositProduct.id, quantity: "1.000", unit_price: formatMoney(deposit) }],
      payments: [{ method: form.deposit_method.value, amount: formatMoney(deposit) }],
      sold_at: made,
      ...member,
    });
    depositKey = sale.key;
  }
  await enqueue("order", `/exhibitors/${EXHIBITOR}/orders`, {
    buyer_name: form.buyer_name.value.trim(),
    buyer_phone: form.buyer_phone.value.trim(),
    delivery_date: form.delivery_date.value,
    note: form.note.value.trim() || null,
    lines,
    deposit: formatMoney(deposit),
    deposit_key: depositKey,
    made_at: made,
    ...member,
  });
  state.cart = [];
  renderCart();
  hide("order");
  toast(T.order_recorded);
  await renderOutbox();
  flush();
}

export function wireOrders() {
  $("open-order").addEventListener("click", openOrder);
  $("order-close").addEventListener("click", () => hide("order"));
  $("order-form").addEventListener("submit", recordOrder);
}
