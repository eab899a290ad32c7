// What the server refused (sales, orders, contacts): never only a toast; sent again,
// corrected or set aside.
import { apiOnce, tellTabs } from "./api.js";
import { renderCart } from "./cart.js";
import { formatMoney, lineAmount, parseMoney, parseQuantity } from "./money.js";
import { orderTotal } from "./orders.js";
import { flush, renderOutbox } from "./outbox.js";
import { $, EXHIBITOR, T } from "./page.js";
import { askReason } from "./receipt.js";
import { hide, state, toast } from "./state.js";
import { isSale, outboxDelete, outboxPut, refusedAll } from "./store.js";
import { rowButton, saleRow } from "./today.js";

// ---- sales the server refused: never only a toast; sent again or set aside ----
export async function renderRefused() {
  const items = await refusedAll();
  $("refused-title").hidden = !items.length;
  $("refused-list").replaceChildren(
    ...items.map((item) => {
      const problem = item.problem || {};
      const why = document.createElement("span");
      why.className = "grow error";
      why.textContent = Object.values(problem.errors || {}).flat().join(" ") || problem.detail || T.refused;
      const again = rowButton(T.send_again, () => sendAgain(item));
      const aside = rowButton(T.set_aside, () => setAside(item), "ghost danger");
      if (!isSale(item)) {
        // An order or a contact: what it was, and who; sent again or set aside.
        const who = item.body.buyer_name || item.body.name || "";
        const total = item.kind === "order" ? formatMoney(orderTotal(item.body)) : "";
        const row = saleRow(T[`refused_${item.kind}`], total, [who], [why, again, aside]);
        if (!total) row.children[1].remove();
        return row;
      }
      const total = item.body.payments.reduce((s, p) => s + parseMoney(p.amount), 0);
      return saleRow(T.refused, formatMoney(total), item.body.payments.map((p) => p.method), [
        why,
        again,
        rowButton(T.correct, () => correct(item)),
        aside,
      ]);
    }),
  );
}

export async function sendAgain(item) {
  const { problem, ...sale } = item;
  // The same key: the server recorded nothing for it. Waiting again, in one write.
  await outboxPut({ ...sale, state: "waiting", attempts: 0, next_at: 0, why: null });
  await renderOutbox();
  await renderRefused();
  flush();
}

export async function setAside(item) {
  const reason = await askReason(T.set_aside_reason, T.set_aside);
  if (reason) await setAsideWith(item, reason);
}

// Journaled on the server first: the phone lets the sale go only once the server has it.
export async function setAsideWith(item, reason) {
  try {
    const { status, data } = await apiOnce("POST", `/exhibitors/${EXHIBITOR}/sales/set-aside`, {
      idempotency_key: item.key, reason, body: item.body, kind: item.kind || "sale",
    });
    if (status !== 204) {
      toast((data && data.detail) || String(status));
      return false;
    }
  } catch (error) {
    toast(T.offline);
    return false;
  }
  await outboxDelete(item.key);
  tellTabs({ kind: "outbox" });
  await renderRefused();
  return true;
}

// Correct a refused sale: its lines back in the cart at today's catalogue (an agreed price
// kept), to be checked and paid again as a new sale; the refused one is set aside.
export async function correct(item) {
  if (!(await setAsideWith(item, T.corrected))) return;
  state.cart = item.body.lines.flatMap((line) => {
    const product = state.products.find((p) => p.id === line.product_id);
    if (!product) return []; // withdrawn since: left out, the member sees it is missing
    const price = product.open_price ? parseMoney(line.unit_price) : parseMoney(product.unit_price);
    const quantity = parseQuantity(line.quantity);
    const discount = Math.min(parseMoney(line.discount || "0"), lineAmount(quantity, price));
    return [{ product, quantity, price, discount }];
  });
  hide("today");
  renderCart();
}
