// What is left of each product the booth counted: the server's figures (voids put back)
// less what this phone sold and has not sent yet, so that it counts down offline too.
import { api } from "./api.js";
import { productName } from "./catalogue.js";
import { parseQuantity, shortQuantity } from "./money.js";
import { EXHIBITOR, T } from "./page.js";
import { state, toast } from "./state.js";
import { cacheGet, cacheSet, isSale, outboxAll } from "./store.js";

// Little is left when at most a fifth of what was brought is (as the server says "low").
export const LOW_SHARE_DIVISOR = 5;

export async function loadStock() {
  try {
    const { status, data } = await api("GET", `/exhibitors/${EXHIBITOR}/stock`);
    if (status === 200) {
      state.stock = Object.fromEntries(
        data.items.map((row) => [row.product_id, { brought: parseQuantity(row.brought), sold: parseQuantity(row.sold) }]),
      );
      await cacheSet("stock", state.stock);
    }
  } catch (error) {
    state.stock = state.stock || (await cacheGet("stock")) || {};
  }
  await countWaiting();
}

// The quantities of this phone's sales still waiting to be sent, by product (``waiting``:
// the outbox as the caller just read it).
export async function countWaiting(waiting = null) {
  const taken = {};
  for (const item of waiting || (await outboxAll())) {
    if (!isSale(item)) continue;
    for (const line of item.body.lines) {
      taken[line.product_id] = (taken[line.product_id] || 0) + parseQuantity(line.quantity);
    }
  }
  state.waitingTaken = taken;
  renderStock();
}

export function leftOf(product) {
  const counted = (state.stock || {})[product.id];
  if (!counted) return null;
  const left = counted.brought - counted.sold - ((state.waitingTaken || {})[product.id] || 0);
  return { left, low: left * LOW_SHARE_DIVISOR <= counted.brought };
}

export function stockText(product) {
  const counted = leftOf(product);
  if (!counted) return null;
  return counted.left > 0 ? `${T.left}${T.colon}${shortQuantity(counted.left, product.unit)}` : T.sold_out;
}

// The badges on the grid, updated in place.
export function renderStock() {
  document.querySelectorAll("#grid .product").forEach((button) => {
    const product = state.products.find((p) => p.id === Number(button.dataset.id));
    const badge = button.querySelector(".left");
    const counted = product && leftOf(product);
    if (!badge) return;
    badge.hidden = !counted;
    if (!counted) return;
    badge.textContent = stockText(product);
    badge.classList.toggle("low", counted.low);
  });
}

// Said when the member adds a product of which little is left.
export function warnIfLow(product) {
  const counted = leftOf(product);
  if (counted && counted.low) toast(`${productName(product)} — ${stockText(product)}`);
}
