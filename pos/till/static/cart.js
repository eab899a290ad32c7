// The cart: lines, quantities, discounts, the total.
import { productName } from "./catalogue.js";
import { MAX_QUANTITY, keypad, priceProblem, quantityProblem } from "./keypad.js";
import { formatMoney, formatQuantity, lineAmount, parseMoney, parseQuantity, shortQuantity } from "./money.js";
import { $, T } from "./page.js";
import { state, toast } from "./state.js";

// ---- the cart ----
export async function addToCart(product) {
  let price = parseMoney(product.unit_price);
  if (product.open_price) {
    const agreed = await keypad(`${T.agreed_price} — ${productName(product)}`, { decimals: 2, check: priceProblem });
    price = agreed === null ? null : parseMoney(agreed);
    if (!price) return;
  }
  let quantity = 1000;
  if (product.unit !== "piece") {
    const typed = await keypad(`${T.quantity} (${T[product.unit]}) — ${productName(product)}`, { decimals: 3, check: quantityProblem });
    quantity = typed === null ? null : parseQuantity(typed);
    if (!quantity) return;
  } else {
    const same = state.cart.find((line) => line.product.id === product.id && line.price === price);
    if (same) { same.quantity += 1000; return renderCart(); }
  }
  state.cart.push({ product, quantity, price, discount: 0 });
  renderCart();
}

export const lineTotal = (line) => lineAmount(line.quantity, line.price) - line.discount;
export const cartTotal = () => state.cart.reduce((sum, line) => sum + lineTotal(line), 0);

export function renderCart() {
  const list = $("cart-lines");
  list.replaceChildren();
  state.cart.forEach((line, index) => {
    const item = document.createElement("li");
    item.className = "cart-line";
    const name = document.createElement("span");
    name.textContent = productName(line.product);
    const total = document.createElement("span");
    total.className = "line-total";
    total.dir = "ltr";
    total.textContent = formatMoney(lineTotal(line));
    const controls = document.createElement("div");
    controls.className = "controls";
    const button = (label, cls, handler) => {
      const b = document.createElement("button");
      b.textContent = label;
      b.className = cls;
      b.addEventListener("click", handler);
      controls.append(b);
      return b;
    };
    if (line.product.unit === "piece") {
      button("−", "minus", () => { line.quantity > 1000 ? (line.quantity -= 1000) : state.cart.splice(index, 1); renderCart(); });
      const qty = document.createElement("span");
      qty.className = "qty";
      qty.textContent = shortQuantity(line.quantity, "piece");
      controls.append(qty);
      button("+", "plus", () => {
        if (line.quantity + 1000 > MAX_QUANTITY) return toast(T.quantity_range);
        line.quantity += 1000;
        renderCart();
      });
    } else {
      button(shortQuantity(line.quantity, line.product.unit), "weight", async () => {
        const typed = await keypad(T.quantity, { initial: formatQuantity(line.quantity), decimals: 3, check: quantityProblem });
        const value = typed === null ? null : parseQuantity(typed);
        if (value) { line.quantity = value; renderCart(); }
      });
    }
    const price = document.createElement("span");
    price.className = "muted";
    price.dir = "ltr";
    price.textContent = `× ${formatMoney(line.price)}`;
    controls.append(price);
    // The amount isolated left to right (LRI…PDI): in Arabic the minus stays before its digits.
    button(line.discount ? `${T.discount} \u2066−${formatMoney(line.discount)}\u2069` : T.discount, "ghost discount", async () => {
      const most = lineAmount(line.quantity, line.price);
      const typed = await keypad(T.discount, {
        initial: line.discount ? formatMoney(line.discount) : "",
        decimals: 2,
        check: (text) => (parseMoney(text || "0") <= most ? null : T.discount_too_big),
      });
      const value = typed === null ? null : parseMoney(typed || "0");
      if (value !== null && value <= lineAmount(line.quantity, line.price)) { line.discount = value; renderCart(); }
    });
    button("✕", "ghost remove", () => { state.cart.splice(index, 1); renderCart(); }).title = T.remove;
    item.append(name, total, controls);
    list.append(item);
  });
  $("cart-empty").hidden = state.cart.length > 0;
  $("total").textContent = formatMoney(cartTotal());
  $("pay").disabled = $("open-order").disabled = state.cart.length === 0;
}
