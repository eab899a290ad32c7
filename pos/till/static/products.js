// The booth's own catalogue: products added, prices changed, photos taken, quantities
// brought.
import { apiOnce } from "./api.js";
import { loadCatalogue, productName } from "./catalogue.js";
import { keypad, priceProblem } from "./keypad.js";
import { formatMoney, formatQuantity, parseMoney, parseQuantity, priceText, shortQuantity } from "./money.js";
import { $, EXHIBITOR, T } from "./page.js";
import { askForPhoto } from "./pictures.js";
import { hide, show, state, toast } from "./state.js";

// ---- the booth's own catalogue ----
export function renderCatalogue() {
  const list = $("catalogue-list");
  list.replaceChildren();
  for (const product of state.products) {
    if (product.kind === "deposit") continue;
    const item = document.createElement("li");
    const label = document.createElement("span");
    label.textContent = `${productName(product)} — ${priceText(product)}`;
    const edit = document.createElement("button");
    edit.className = "ghost";
    edit.textContent = T.change_price;
    edit.addEventListener("click", async () => {
      const typed = await keypad(`${T.change_price} — ${productName(product)}`, { initial: product.unit_price, decimals: 2, check: priceProblem });
      if (typed === null || parseMoney(typed) === null) return;
      const { status, data } = await apiOnce("PATCH", `/products/${product.id}`, { unit_price: formatMoney(parseMoney(typed)) });
      if (status === 200) { await loadCatalogue(); toast(`${productName(data)}${T.colon}${priceText(data)}`); }
      else toast((data && data.detail) || String(status));
    });
    // A photo with the phone's camera; the quantity brought, for the till to count down.
    const photo = document.createElement("button");
    photo.className = "ghost photo";
    photo.textContent = T.photo;
    photo.addEventListener("click", () => askForPhoto(product, () => loadCatalogue()));
    const brought = document.createElement("button");
    brought.className = "ghost stock";
    brought.textContent = product.stock === null || product.stock === undefined
      ? T.stock : `${T.stock}${T.colon}${shortQuantity(parseQuantity(product.stock), product.unit)}`;
    brought.addEventListener("click", async () => {
      const typed = await keypad(`${T.stock} — ${productName(product)}`, { initial: product.stock ?? "", decimals: 3 });
      if (typed === null) return;
      const value = typed.trim() === "" ? null : parseQuantity(typed);
      if (typed.trim() !== "" && value === null) return;
      const { status, data } = await apiOnce("PATCH", `/products/${product.id}`, { stock: value === null ? null : formatQuantity(value) });
      if (status === 200) await loadCatalogue();
      else toast((data && data.detail) || String(status));
    });
    item.append(label, photo, brought, edit);
    list.append(item);
  }
}

export async function addProduct(event) {
  event.preventDefault();
  const form = event.target;
  const price = parseMoney(form.unit_price.value);
  const body = {
    name: form.name.value.trim(), name_ar: form.name_ar.value.trim(), unit: form.unit.value,
    unit_price: price === null ? form.unit_price.value : formatMoney(price), open_price: form.open_price.checked,
  };
  if (form.stock.value.trim()) {
    const brought = parseQuantity(form.stock.value);
    body.stock = brought === null ? form.stock.value : formatQuantity(brought);
  }
  const { status, data } = await apiOnce("POST", `/exhibitors/${EXHIBITOR}/products`, body);
  if (status === 201) {
    form.reset();
    hide("product-error");
    hide("catalogue");
    await loadCatalogue();
  } else {
    $("product-error").textContent = data && data.errors ? Object.values(data.errors).flat().join(" ") : (data && data.detail) || status;
    show("product-error");
  }
}
