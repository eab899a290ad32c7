// The booth's catalogue: the phone's copy at once, then the server's; the product grid.
import { api } from "./api.js";
import { addToCart } from "./cart.js";
import { priceText } from "./money.js";
import { signedOut } from "./outbox.js";
import { $, EXHIBITOR } from "./page.js";
import { renderCatalogue } from "./products.js";
import { state } from "./state.js";
import { cacheGet, cacheSet } from "./store.js";

// ---- catalogue: the phone's copy at once, then the server's when it answers ----
export async function loadCatalogue() {
  const cached = await cacheGet("products");
  if (cached && !state.products.length) {
    state.products = cached;
    renderGrid();
    renderCatalogue();
  }
  try {
    const { status, data } = await api("GET", `/exhibitors/${EXHIBITOR}/products?active=true`);
    if (status === 401) return signedOut();
    if (status === 200) {
      state.products = data.items;
      await cacheSet("products", data.items);
    }
  } catch (error) {
    // No answer: the phone's copy stays on screen.
  }
  renderGrid();
  renderCatalogue();
}

export function productName(product) {
  return document.body.dataset.locale === "ar" ? product.name_ar : product.name;
}

export function renderGrid() {
  const query = $("search").value.trim().toLowerCase();
  const grid = $("grid");
  grid.replaceChildren();
  for (const product of state.products) {
    const haystack = `${product.name} ${product.name_ar} ${product.sku || ""}`.toLowerCase();
    if (query && !haystack.includes(query)) continue;
    const button = document.createElement("button");
    button.className = "product";
    button.dataset.id = product.id;
    const name = document.createElement("span");
    name.className = "name";
    name.textContent = productName(product);
    const price = document.createElement("span");
    price.className = "price";
    price.textContent = product.open_price ? "…" : priceText(product);
    button.append(name, price);
    button.addEventListener("click", () => addToCart(product));
    grid.append(button);
  }
}
