// Exact money: integer centimes and thousandths, as on the server (tests/data/money_cases.json); and amounts as shown.
import { $, T } from "./page.js";

// ---- exact money: integer centimes and thousandths, as on the server ----
// What a phone's keyboard types: "12,50", Arabic-Indic digits, the Arabic decimal sign.
export function asciiDecimal(text) {
  return String(text)
    .trim()
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[,\u066b]/, ".");
}
export function parseScaled(text, decimals) {
  const match = /^([0-9]+)(?:\.([0-9]+))?$/.exec(asciiDecimal(text));
  if (!match || (match[2] || "").length > decimals) return null;
  return Number(match[1]) * 10 ** decimals + Number((match[2] || "").padEnd(decimals, "0") || 0);
}
export const parseMoney = (text) => parseScaled(text, 2);
export const parseQuantity = (text) => parseScaled(text, 3);
export function formatMoney(cents) {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}
export function formatQuantity(milli) {
  const sign = milli < 0 ? "-" : "";
  const abs = Math.abs(milli);
  return `${sign}${Math.floor(abs / 1000)}.${String(abs % 1000).padStart(3, "0")}`;
}
export function shortQuantity(milli, unit) {
  if (unit === "piece") return String(milli / 1000);
  return formatQuantity(milli).replace(/0+$/, "").replace(/\.$/, "") + " " + T[unit];
}
// An amount and its currency as one run ("77.50 DH", "77.50 درهم"), whatever the line's direction.
export const money = (text) => `\u2066${text}\u2069 ${T.currency}`;
export const priceText = (product) => money(product.unit_price) + (product.unit === "piece" ? "" : ` / ${T[product.unit]}`);
// quantity x price, half-up to the centime (quantity in thousandths)
export const lineAmount = (milli, cents) => Math.floor((milli * cents + 500) / 1000);
