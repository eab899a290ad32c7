// The numeric keypad, for weights, prices, cash and PINs.
import { parseMoney, parseQuantity } from "./money.js";
import { $, T } from "./page.js";
import { hide, show } from "./state.js";

// ---- the numeric keypad, for weights, prices, cash and PINs ----
// The server's limits, checked as the cashier types, before anything is cleared.
export const MAX_QUANTITY = 10_000_000; // 10,000 units, in thousandths
export const MAX_PRICE = 100_000_000; // 1,000,000.00 DH, in centimes
export const quantityProblem = (text) => {
  const value = parseQuantity(text);
  return value && value <= MAX_QUANTITY ? null : T.quantity_range;
};
export const priceProblem = (text) => {
  const value = parseMoney(text);
  return value && value <= MAX_PRICE ? null : T.price_range;
};

// ``check(value)``: a message saying what is wrong with the value typed (the keypad stays
// open and shows it), or null.
export function keypad(title, { initial = "", decimals = 3, secret = false, check = null } = {}) {
  return new Promise((resolve) => {
    let value = initial;
    $("keypad-title").textContent = title;
    const render = () => ($("keypad-value").textContent = secret ? "•".repeat(value.length) : value || "0");
    render();
    hide("keypad-error");
    show("keypad");
    const onKey = (event) => {
      const key = event.target.dataset.key;
      if (!key) return;
      if (key === "back") value = value.slice(0, -1);
      else if (key === ".") { if (decimals > 0 && !value.includes(".")) value = (value || "0") + "."; }
      else if (!(value.includes(".") && value.split(".")[1].length >= decimals) && value.length < 12) value += key;
      render();
    };
    const done = (result) => {
      hide("keypad");
      $("keypad").removeEventListener("click", onKey);
      $("keypad-ok").onclick = $("keypad-cancel").onclick = null;
      resolve(result);
    };
    $("keypad").addEventListener("click", onKey);
    $("keypad-ok").onclick = () => {
      const problem = check && check(value);
      if (!problem) return done(value);
      $("keypad-error").textContent = problem;
      show("keypad-error");
    };
    $("keypad-cancel").onclick = () => done(null);
  });
}
