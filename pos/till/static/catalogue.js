// The booth's catalogue: the phone's copy at once, then the server's; the product grid,
// with each product's picture and what is left of it.
import { api } from "./api.js";
import { addToCart } from "./cart.js";
import { priceText } from "./money.js";
import { signedOut } from "./outbox.js";
import { $, EXHIBITOR } from "./page.js";
import { pictureURL } from "./pictures.js";
import { renderCatalogue } from "./products.js";
import { state } from "./state.js";
import { loadStock, renderStock, warnIfLow } from "./stock.js";
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
    const { status, data } = await api("GET", `/exhibitors/${EXHIBITOR}/products?active=true&kind=all`);
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
  await loadStock();
}

export function productName(product) {
  return document.body.dataset.locale === "ar" ? product.name_ar : product.name;
}

export function renderGrid() {
  const query = $("search").value.trim().toLowerCase();
  const grid = $("grid");
  grid.replaceChildren();
  for (const product of state.products) {
    if (product.kind === "deposit") continue; // sold only with an order
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
    const left = document.createElement("span");
    left.className = "left";
    left.hidden = true;
    button.append(name, price, left);
    if (product.picture_version) {
      // Members who read little sell by picture: shown once the phone has it.
      const image = document.createElement("img");
      image.alt = "";
      image.hidden = true;
      button.prepend(image);
      pictureURL(product).then((url) => {
        if (url) { image.src = url; image.hidden = false; }
      });
    }
    button.addEventListener("click", () => { warnIfLow(product); addToCart(product); });
    grid.append(button);
  }
  renderStock();
}
