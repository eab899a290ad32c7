// The booth till. No framework, no build step.
//
// Every sale is written to an outbox in IndexedDB, with its Idempotency-Key,
// before it is sent; the outbox is sent whenever the network allows, oldest
// first, so a sale made offline, or while the page is reloaded, is delivered
// once. One tab of the phone sends at a time (Web Locks); the others hear what
// changed (BroadcastChannel). A sale the server refused stays in the outbox,
// marked refused, until someone sends it again or sets it aside.
"use strict";

const T = JSON.parse(document.getElementById("strings").textContent);
const $ = (id) => document.getElementById(id);
const EXHIBITOR = Number(document.body.dataset.exhibitor);
const TOKEN = localStorage.getItem("pos_token");
const RETRY_MS = 3000;

if (!TOKEN || Number(localStorage.getItem("pos_exhibitor")) !== EXHIBITOR) {
  location.replace("/till/pair");
}

// ---- exact money: integer centimes and thousandths, as on the server ----
// What a phone's keyboard types: "12,50", Arabic-Indic digits, the Arabic decimal sign.
function asciiDecimal(text) {
  return String(text)
    .trim()
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[,\u066b]/, ".");
}
function parseScaled(text, decimals) {
  const match = /^([0-9]+)(?:\.([0-9]+))?$/.exec(asciiDecimal(text));
  if (!match || (match[2] || "").length > decimals) return null;
  return Number(match[1]) * 10 ** decimals + Number((match[2] || "").padEnd(decimals, "0") || 0);
}
const parseMoney = (text) => parseScaled(text, 2);
const parseQuantity = (text) => parseScaled(text, 3);
function formatMoney(cents) {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}
function formatQuantity(milli) {
  return `${Math.floor(milli / 1000)}.${String(milli % 1000).padStart(3, "0")}`;
}
function shortQuantity(milli, unit) {
  if (unit === "piece") return String(milli / 1000);
  return formatQuantity(milli).replace(/0+$/, "").replace(/\.$/, "") + " " + T[unit];
}
// An amount and its currency as one run ("77.50 DH", "77.50 درهم"), whatever the line's direction.
const money = (text) => `\u2066${text}\u2069 ${T.currency}`;
const priceText = (product) => money(product.unit_price) + (product.unit === "piece" ? "" : ` / ${T[product.unit]}`);
// quantity x price, half-up to the centime (quantity in thousandths)
const lineAmount = (milli, cents) => Math.floor((milli * cents + 500) / 1000);

// ---- IndexedDB: the outbox and the cached catalogue ----
const DB_VERSION = 1;
const db = new Promise((resolve, reject) => {
  const request = indexedDB.open("tadamon-till", DB_VERSION);
  request.onupgradeneeded = () => {
    request.result.createObjectStore("outbox", { keyPath: "key" });
    request.result.createObjectStore("cache");
  };
  // A newer till (another tab, upgraded) moves the schema forward: this one lets go and
  // reloads between sales; an older tab holding it makes this one wait, and says so.
  request.onblocked = () => toast(T.close_other_tabs);
  request.onsuccess = () => {
    request.result.onversionchange = () => {
      request.result.close();
      reloadWhenIdle();
    };
    resolve(request.result);
  };
  request.onerror = () => reject(request.error);
});
async function store(name, mode, action) {
  const handle = await db;
  return new Promise((resolve, reject) => {
    const tx = handle.transaction(name, mode);
    const result = action(tx.objectStore(name));
    tx.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}
const outboxItems = () => store("outbox", "readonly", (s) => s.getAll());
// The sales still to send, and those the server refused (kept until settled).
const outboxAll = async () => (await outboxItems()).filter((item) => item.state !== "refused");
const refusedAll = async () => (await outboxItems()).filter((item) => item.state === "refused");
const outboxPut = (item) => store("outbox", "readwrite", (s) => s.put(item));
const outboxDelete = (key) => store("outbox", "readwrite", (s) => s.delete(key));
const cacheGet = (name) => store("cache", "readonly", (s) => s.get(name));
const cacheSet = (name, value) => store("cache", "readwrite", (s) => s.put(value, name));
const cacheKeys = () => store("cache", "readonly", (s) => s.getAllKeys());
const cacheDelete = (name) => store("cache", "readwrite", (s) => s.delete(name));

// Tills of before kept refused sales in the cache store: each moves into the outbox,
// marked refused, in one transaction over both stores (a crash leaves it in one place).
async function adoptOldRefused() {
  const handle = await db;
  const keys = (await cacheKeys()).filter((key) => String(key).startsWith("refused:"));
  for (const key of keys) {
    await new Promise((resolve, reject) => {
      const tx = handle.transaction(["outbox", "cache"], "readwrite");
      const cache = tx.objectStore("cache");
      cache.get(key).onsuccess = (event) => {
        if (event.target.result) tx.objectStore("outbox").put({ ...event.target.result, state: "refused" });
        cache.delete(key);
      };
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
  }
}

// ---- time from a clock that cannot jump ----
// The phone's clock may be set right, or wrong, between a sale and its sending; the page's
// own clock (performance.now) only goes forward. A moment is the page's start plus the time
// since, moved by what the server's clock said at its last answer (its Date header).
const clock = { offset: 0 };
const steadyNow = () => performance.timeOrigin + performance.now();
function learnClock(response) {
  const said = Date.parse(response.headers.get("Date") || "");
  if (!Number.isNaN(said)) clock.offset = said - steadyNow();
}
const clockNow = () => new Date(steadyNow() + clock.offset);
const deviceClock = () => clockNow().toISOString();

// A UUID v4 from getRandomValues: crypto.randomUUID needs HTTPS, the fair LAN may not have it.
function uuid4() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// ---- the API ----
// A fair's Wi-Fi may take a request and never answer: past this the till counts as offline
// (the sale stays in the outbox, sent again later with the same key).
const REQUEST_TIMEOUT_MS = 10_000;

async function api(method, path, body, headers = {}) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), REQUEST_TIMEOUT_MS);
  let response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      // The phone's clock with every request: the server corrects a sale's time if it is off.
      headers: {
        Authorization: `Bearer ${TOKEN}`,
        "Content-Type": "application/json",
        "Device-Clock": deviceClock(),
        "Accept-Language": document.documentElement.lang, // the server's words in the till's
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: abort.signal,
    });
  } catch (error) {
    setOnline(false); // no answer (network down, or the server hangs): the truth is offline
    throw error;
  } finally {
    clearTimeout(timer);
  }
  // A hotel-style login page, a redirect: something answered, but not this server.
  const fromServer = !response.redirected &&
    (response.status === 204 || (response.headers.get("Content-Type") || "").includes("json"));
  setOnline(fromServer);
  if (fromServer) learnClock(response);
  const data = response.status === 204 || !fromServer ? null : await response.json().catch(() => null);
  return { status: response.status, data, fromServer };
}

// A write the server may have done though its answer was lost (a void, a reprint, a price):
// sent again with the same Idempotency-Key when no answer came, or not the server's, or
// the server was busy, so that it acts once and the member sees its real outcome.
const WRITE_TRIES = 3;
async function apiOnce(method, path, body) {
  const key = uuid4();
  for (let attempt = 1; ; attempt += 1) {
    try {
      const response = await api(method, path, body, { "Idempotency-Key": key });
      if ((response.fromServer && response.status < 500) || attempt === WRITE_TRIES) return response;
    } catch (error) {
      if (attempt === WRITE_TRIES) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
  }
}

// One tab of the phone at a time does ``action`` under ``name`` (where the browser has Web
// Locks; elsewhere there is one tab). The others wait their turn.
function oneTabAtATime(name, action) {
  return navigator.locks ? navigator.locks.request(name, action) : action();
}

// The other tabs of this phone hear what changed here.
const tabs = "BroadcastChannel" in window ? new BroadcastChannel("tadamon-till") : null;
const tellTabs = (message) => tabs && tabs.postMessage(message);

// ---- state ----
const state = {
  products: [],
  cart: [], // {product, quantity (thousandths), price (centimes), discount (centimes)}
  method: "cash",
  tendered: null,
  pending: null, // the key of the sale just paid, waiting for its receipt number
  lastSale: null,
  member: sessionStorage.getItem("pos_member"),
  flushQueued: false,
  paying: false,
  notes: [], // the cash notes tapped for this payment, to take the last one back
  lastAnswer: null, // when the server last answered anything
};

function toast(text) {
  const box = $("toast");
  box.textContent = text;
  box.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => (box.hidden = true), 4000);
}
function show(id) { $(id).hidden = false; }
function hide(id) { $(id).hidden = true; }

function translateStatic() {
  document.querySelectorAll("[data-t]").forEach((el) => (el.textContent = T[el.dataset.t]));
  $("search").placeholder = T.search;
}

// ---- catalogue: the phone's copy at once, then the server's when it answers ----
async function loadCatalogue() {
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

function productName(product) {
  return document.body.dataset.locale === "ar" ? product.name_ar : product.name;
}

function renderGrid() {
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

// ---- the numeric keypad, for weights, prices, cash and PINs ----
// The server's limits, checked as the cashier types, before anything is cleared.
const MAX_QUANTITY = 10_000_000; // 10,000 units, in thousandths
const MAX_PRICE = 100_000_000; // 1,000,000.00 DH, in centimes
const quantityProblem = (text) => {
  const value = parseQuantity(text);
  return value && value <= MAX_QUANTITY ? null : T.quantity_range;
};
const priceProblem = (text) => {
  const value = parseMoney(text);
  return value && value <= MAX_PRICE ? null : T.price_range;
};

// ``check(value)``: a message saying what is wrong with the value typed (the keypad stays
// open and shows it), or null.
function keypad(title, { initial = "", decimals = 3, secret = false, check = null } = {}) {
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

// ---- the cart ----
async function addToCart(product) {
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

const lineTotal = (line) => lineAmount(line.quantity, line.price) - line.discount;
const cartTotal = () => state.cart.reduce((sum, line) => sum + lineTotal(line), 0);

function renderCart() {
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
    button(line.discount ? `${T.discount} −${formatMoney(line.discount)}` : T.discount, "ghost discount", async () => {
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
  $("pay").disabled = state.cart.length === 0;
}

// ---- payment ----
function openPayment() {
  state.tendered = null;
  state.notes = [];
  $("undo-note").disabled = true;
  $("pay-total").textContent = formatMoney(cartTotal());
  chooseMethod("cash");
  hide("pay-error");
  show("payment");
}
function chooseMethod(method) {
  state.method = method;
  document.querySelectorAll("[data-method]").forEach((b) => b.classList.toggle("chosen", b.dataset.method === method));
  $("cash-box").hidden = method !== "cash";
  renderChange();
}
function renderChange() {
  const tendered = state.tendered ?? cartTotal();
  $("tendered").textContent = formatMoney(tendered);
  $("change").textContent = formatMoney(Math.max(0, tendered - cartTotal()));
}

async function confirmPayment() {
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

async function recordPayment() {
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

// ---- a new version of the till: taken between sales ----
// Never with a cart open, a payment on screen or a sale being sent: the outbox and the
// refused sales are in IndexedDB and live through the reload.
function idle() {
  return !state.cart.length && !state.paying && !state.sending &&
    $("payment").hidden && $("result").hidden && $("keypad").hidden;
}

function reloadWhenIdle() {
  state.updateWaiting = true;
  $("update-ready").hidden = false;
  if (idle()) location.reload();
}

// ---- the outbox: sent once each, whenever the network allows; none holds the others ----
const BACKOFF_MAX_MS = 60_000;

// What the server's answer means for a sale sent: delivered, refused (for the member to
// review), or try again later (busy, in flight, or not the server at all).
function outcome(response) {
  if (response.status === 401 && response.fromServer) return "signed_out";
  if (response.status === 201 && response.fromServer && response.data) return "delivered";
  if (!response.fromServer) return "portal";
  if ([408, 409, 425, 429].includes(response.status) || response.status >= 500) return "busy";
  return response.status >= 400 ? "refused" : "busy";
}

async function renderOutbox() {
  const waiting = (await outboxAll()).sort((a, b) => a.created - b.created);
  $("outbox-count").textContent = waiting.length;
  $("outbox").hidden = waiting.length === 0;
  // Why the oldest waits, when the server was reached and said wait (or was not the server).
  const why = waiting.find((item) => item.why);
  $("outbox-why").textContent = why ? T[`outbox_${why.why}`] : "";
  $("outbox-why").hidden = !why;
}

function flush() {
  if (state.flushQueued) return; // a pass is already on its way
  state.flushQueued = true;
  oneTabAtATime("tadamon-outbox", async () => {
    state.flushQueued = false;
    await sendWaiting();
  });
}

async function sendWaiting() {
  let next = null;
  state.sending = true;
  try {
    const items = (await outboxAll()).sort((a, b) => a.created - b.created);
    for (const item of items) {
      if (item.next_at && item.next_at > Date.now()) continue; // backing off: the next one
      let response;
      try {
        response = await api("POST", `/exhibitors/${EXHIBITOR}/sales`, item.body,
                             { "Idempotency-Key": item.key });
      } catch (error) {
        break; // no answer at all: the network is down, keep the rest for later
      }
      const result = outcome(response);
      if (result === "delivered") {
        await outboxDelete(item.key);
        onRecorded(item, response.data);
        tellTabs({ kind: "recorded", key: item.key, sale: response.data });
      } else if (result === "signed_out") {
        signedOut();
        return;
      } else if (result === "refused") {
        // Kept on the phone, marked, in one write: never only a toast, never lost.
        await outboxPut({ ...item, state: "refused", problem: response.data, why: null });
        toast(`${T.refused}: ${(response.data && response.data.detail) || response.status}`);
        if (item.key === state.pending) $("result-state").textContent = T.refused;
      } else {
        // Busy, in flight, or not the server: this one waits longer each time, the
        // others go on.
        const attempts = (item.attempts || 0) + 1;
        const delay = Math.min(RETRY_MS * 2 ** (attempts - 1), BACKOFF_MAX_MS);
        await outboxPut({ ...item, attempts, next_at: Date.now() + delay, why: result });
      }
    }
  } finally {
    state.sending = false;
    tellTabs({ kind: "outbox" });
    await renderOutbox();
    await renderRefused();
    const left = await outboxAll();
    if (left.length) {
      next = Math.max(RETRY_MS, Math.min(...left.map((item) => (item.next_at || 0) - Date.now())));
      setTimeout(flush, next);
    }
    if (state.updateWaiting) reloadWhenIdle();
  }
}

function onRecorded(item, sale) {
  state.lastSale = sale;
  cacheSet("last_sale", sale);
  rememberRecorded(sale);
  if (item.key === state.pending) {
    $("receipt-number").textContent = sale.receipt_number;
    $("reprint").disabled = $("void-last").disabled = false;
    watchPrinting(sale);
  }
  // This phone prints it; "fresh": the receipt of the sale just paid, after that tap.
  if (sale.print_status === "pending") printWaiting({ fresh: item.key === state.pending });
}

async function watchPrinting(sale) {
  let status = sale.print_status;
  for (let round = 0; round < 20; round += 1) {
    $("print-status").textContent = T[`print_${status}`] || status;
    if (["printed", "sent", "no_printer"].includes(status) || state.lastSale.id !== sale.id) return;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    try {
      const { status: code, data } = await api("GET", `/sales/${sale.id}`);
      if (code === 200) status = data.print_status;
    } catch (error) { /* offline: keep the last known state */ }
  }
}

function setOnline(online) {
  if (online) state.lastAnswer = new Date();
  $("net").classList.toggle("offline", !online);
  const last = state.lastAnswer
    ? ` — ${T.last_answer}: ${state.lastAnswer.toLocaleTimeString(document.documentElement.lang, { hour: "2-digit", minute: "2-digit" })}`
    : "";
  $("net").title = (online ? T.online : T.offline) + last;
}

function signedOut() {
  toast(T.signed_out);
  localStorage.removeItem("pos_token");
  setTimeout(() => location.replace("/till/pair"), 2500);
}

// ---- after a sale ----
async function reprint(sale = state.lastSale) {
  if (!sale) return;
  try {
    const { status, data } = await apiOnce("POST", `/sales/${sale.id}/reprint`);
    toast(status === 202 ? T[`print_${data.print_status}`] : (data && data.detail) || status);
    if (status === 202 && data.print_status === "pending") printWaiting();
  } catch (error) {
    toast(T.offline);
  }
}

function askReason(question = T.void_reason, action = T.void_last) {
  return new Promise((resolve) => {
    $("reason-text").value = "";
    $("reason-label").textContent = question;
    $("reason-ok").textContent = action;
    show("reason");
    $("reason-ok").onclick = () => { hide("reason"); resolve($("reason-text").value.trim() || null); };
    $("reason-cancel").onclick = () => { hide("reason"); resolve(null); };
  });
}

// Void a recorded sale, with a reason; the voided sale, or null.
async function voidSale(sale) {
  const reason = await askReason();
  if (!reason) return null;
  try {
    const { status, data } = await apiOnce("POST", `/sales/${sale.id}/void`, { reason });
    if (status === 200) {
      await rememberRecorded(data);
      printWaiting(); // the void's receipt, when this phone prints
      return data;
    }
    toast((data && data.detail) || String(status));
  } catch (error) {
    toast(T.offline);
  }
  return null;
}

async function voidLast() {
  if (!state.lastSale) return;
  const voided = await voidSale(state.lastSale);
  if (voided) {
    state.lastSale = voided;
    $("receipt-number").textContent = voided.receipt_number;
    $("result-state").textContent = T.voided;
    $("void-last").disabled = true;
  }
}

// ---- today: the day's sales and totals, from the server and from this phone ----
function localDate(moment = clockNow()) {
  return `${moment.getFullYear()}-${String(moment.getMonth() + 1).padStart(2, "0")}-${String(moment.getDate()).padStart(2, "0")}`;
}
const clockTime = (moment) =>
  new Date(moment).toLocaleTimeString(document.documentElement.lang, { hour: "2-digit", minute: "2-digit" });

// The server's list of the day, kept on the phone, with the sales this phone records since.
async function rememberRecorded(sale) {
  const day = localDate();
  const cached = (await cacheGet(`today:${day}`)) || { at: null, items: [] };
  cached.items = [sale, ...cached.items.filter((item) => item.id !== sale.id)];
  await cacheSet(`today:${day}`, cached);
}

async function dayOfSales() {
  const day = localDate();
  try {
    const { status, data } = await api("GET", `/exhibitors/${EXHIBITOR}/sales?date=${day}&limit=1000`);
    if (status === 200) {
      const fresh = { at: Date.now(), items: data.items };
      await cacheSet(`today:${day}`, fresh);
      return { recorded: fresh.items, source: `${T.figures_from_server} ${clockTime(fresh.at)}` };
    }
  } catch (error) { /* offline: the phone's copy */ }
  const cached = (await cacheGet(`today:${day}`)) || { at: null, items: [] };
  const since = cached.at ? ` (${clockTime(cached.at)})` : "";
  return { recorded: cached.items, source: T.figures_offline + since };
}

function saleRow(label, total, methods, extra) {
  const item = document.createElement("li");
  const number = document.createElement("bdi");
  number.className = "number";
  number.textContent = label;
  const amount = document.createElement("bdi");
  amount.textContent = money(total);
  const how = document.createElement("span");
  how.className = "grow muted";
  how.textContent = methods.map((method) => T[method] || method).join(" + ");
  item.append(number, amount, how, ...extra);
  return item;
}

function rowButton(label, handler, cls = "ghost") {
  const button = document.createElement("button");
  button.className = cls;
  button.textContent = label;
  button.addEventListener("click", handler);
  return button;
}

async function openToday() {
  show("today");
  $("today-count").textContent = $("today-net").textContent = "…";
  const { recorded, source } = await dayOfSales();
  const day = localDate();
  const waiting = (await outboxAll())
    .filter((item) => localDate(new Date(item.created)) === day)
    .sort((a, b) => b.created - a.created);
  const completed = recorded.filter((sale) => sale.status === "completed");
  const byMethod = {};
  const add = (payments) => payments.forEach((p) => (byMethod[p.method] = (byMethod[p.method] || 0) + parseMoney(p.amount)));
  completed.forEach((sale) => add(sale.payments));
  waiting.forEach((item) => add(item.body.payments));
  const net = Object.values(byMethod).reduce((sum, amount) => sum + amount, 0);
  $("today-count").textContent = completed.length + waiting.length;
  $("today-net").textContent = formatMoney(net);
  $("today-methods").replaceChildren(
    ...Object.entries(byMethod).map(([method, amount]) => {
      const row = document.createElement("tr");
      row.dataset.method = method;
      row.innerHTML = "<td></td><td><bdi></bdi></td>";
      row.cells[0].textContent = T[method] || method;
      row.cells[1].firstChild.textContent = money(formatMoney(amount));
      return row;
    }),
  );
  renderByMember(completed, waiting);
  $("today-source").textContent = source;
  $("today-list").replaceChildren(
    ...waiting.map((item) =>
      saleRow(T.waiting, formatMoney(item.body.payments.reduce((s, p) => s + parseMoney(p.amount), 0)),
              item.body.payments.map((p) => p.method), []),
    ),
    ...recorded.map((sale) => {
      const extra = [];
      if (sale.status === "completed") {
        const printed = document.createElement("span");
        printed.className = "muted";
        printed.textContent = T[`print_${sale.print_status}`] || sale.print_status;
        extra.push(printed, rowButton(T.reprint, () => reprint(sale)),
                   rowButton(T.void_last, () => voidSale(sale).then(openToday), "ghost danger"));
      } else {
        extra.push(Object.assign(document.createElement("span"), { className: "muted", textContent: T.voided }));
      }
      return saleRow(sale.receipt_number, sale.total, sale.payments.map((p) => p.method), extra);
    }),
  );
  await renderRefused();
}

// Who sold what today, when the booth's members unlock the till.
function renderByMember(completed, waiting) {
  const names = Object.fromEntries((state.members || []).map((m) => [m.id, m.name]));
  const byMember = {};
  const add = (memberId, cents) => {
    const name = memberId ? names[memberId] || `#${memberId}` : T.member_unsaid;
    byMember[name] = (byMember[name] || 0) + cents;
  };
  completed.forEach((sale) => add(sale.member_id, parseMoney(sale.total)));
  waiting.forEach((item) => add(item.body.member_id, item.body.payments.reduce((s, p) => s + parseMoney(p.amount), 0)));
  const said = Object.keys(names).length > 0;
  $("today-members").hidden = !said;
  $("today-members").replaceChildren(
    ...(said ? Object.entries(byMember) : []).map(([name, cents]) => {
      const row = document.createElement("tr");
      row.innerHTML = "<td></td><td><bdi></bdi></td>";
      row.cells[0].textContent = name;
      row.cells[1].firstChild.textContent = money(formatMoney(cents));
      return row;
    }),
  );
}

// ---- sales the server refused: never only a toast; sent again or set aside ----
async function renderRefused() {
  const items = await refusedAll();
  $("refused-title").hidden = !items.length;
  $("refused-list").replaceChildren(
    ...items.map((item) => {
      const problem = item.problem || {};
      const why = document.createElement("span");
      why.className = "grow error";
      why.textContent = Object.values(problem.errors || {}).flat().join(" ") || problem.detail || T.refused;
      const total = item.body.payments.reduce((s, p) => s + parseMoney(p.amount), 0);
      return saleRow(T.refused, formatMoney(total), item.body.payments.map((p) => p.method), [
        why,
        rowButton(T.send_again, () => sendAgain(item)),
        rowButton(T.correct, () => correct(item)),
        rowButton(T.set_aside, () => setAside(item), "ghost danger"),
      ]);
    }),
  );
}

async function sendAgain(item) {
  const { problem, ...sale } = item;
  // The same key: the server recorded nothing for it. Waiting again, in one write.
  await outboxPut({ ...sale, state: "waiting", attempts: 0, next_at: 0, why: null });
  await renderOutbox();
  await renderRefused();
  flush();
}

async function setAside(item) {
  const reason = await askReason(T.set_aside_reason, T.set_aside);
  if (reason) await setAsideWith(item, reason);
}

// Journaled on the server first: the phone lets the sale go only once the server has it.
async function setAsideWith(item, reason) {
  try {
    const { status, data } = await apiOnce("POST", `/exhibitors/${EXHIBITOR}/sales/set-aside`, {
      idempotency_key: item.key, reason, body: item.body,
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
async function correct(item) {
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

// ---- the booth's own catalogue ----
function renderCatalogue() {
  const list = $("catalogue-list");
  list.replaceChildren();
  for (const product of state.products) {
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
      if (status === 200) { await loadCatalogue(); toast(`${productName(data)}: ${priceText(data)}`); }
      else toast((data && data.detail) || String(status));
    });
    item.append(label, edit);
    list.append(item);
  }
}

async function addProduct(event) {
  event.preventDefault();
  const form = event.target;
  const price = parseMoney(form.unit_price.value);
  const body = {
    name: form.name.value.trim(), name_ar: form.name_ar.value.trim(), unit: form.unit.value,
    unit_price: price === null ? form.unit_price.value : formatMoney(price), open_price: form.open_price.checked,
  };
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

// ---- members and PINs ----
async function loadMembers() {
  let members = [];
  try {
    const { status, data } = await api("GET", `/exhibitors/${EXHIBITOR}/members`);
    if (status === 200) { members = data.items.filter((m) => m.active); await cacheSet("members", members); }
    else members = (await cacheGet("members")) || [];
  } catch (error) {
    members = (await cacheGet("members")) || [];
  }
  state.members = members;
  const guarded = members.some((member) => member.has_pin);
  $("switch-member").hidden = !guarded;
  if (!guarded || state.member) return;
  const box = $("members");
  box.replaceChildren();
  for (const member of members) {
    const button = document.createElement("button");
    button.textContent = member.name;
    button.dataset.member = member.id;
    button.addEventListener("click", () => unlock(member));
    box.append(button);
  }
  showLock();
}

// The lock never covers a payment or the sale just paid: it waits for the next sale.
function showLock() {
  if (state.paying || !$("result").hidden || !$("payment").hidden) {
    state.lockWanted = true;
    return;
  }
  state.lockWanted = false;
  show("lock");
}

// PBKDF2 of the PIN against the verifier the phone keeps (pos.members.verifier), when the
// server cannot be asked. WebCrypto: HTTPS or localhost only.
async function pinMatches(verifier, pin) {
  if (!verifier || !(crypto && crypto.subtle)) return null; // cannot tell here
  const [, iterations, salt, hash] = verifier.split("$");
  const bytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(pin), "PBKDF2", false, ["deriveBits"]);
  const bits = new Uint8Array(await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt: bytes(salt), iterations: Number(iterations) }, key, 256));
  const wanted = bytes(hash);
  return bits.length === wanted.length && bits.every((byte, i) => byte === wanted[i]);
}

// The server checks the PIN (and counts misses) when it answers; offline, the verifier.
async function pinAccepted(member, pin) {
  try {
    const { status, fromServer } = await api("POST", `/members/${member.id}/unlock`, { pin: pin || "0000" });
    if (fromServer) return status === 200 ? "yes" : status === 423 ? "locked" : "no";
  } catch (error) { /* offline: checked on the phone */ }
  if (!member.has_pin) return "yes";
  const matched = await pinMatches(member.pin_verifier, pin);
  return matched === null ? "unknown" : matched ? "yes" : "no";
}

async function unlock(member) {
  while (true) {
    const pin = member.has_pin ? await keypad(`${T.enter_pin} — ${member.name}`, { decimals: 0, secret: true }) : "";
    if (pin === null) return;
    const accepted = await pinAccepted(member, pin);
    if (accepted === "yes") {
      state.member = String(member.id);
      sessionStorage.setItem("pos_member", state.member);
      hide("lock");
      return;
    }
    toast({ locked: T.locked, unknown: T.pin_offline_unknown }[accepted] || T.wrong_pin);
    if (accepted === "locked" || accepted === "unknown") return;
  }
}

// ---- wiring ----
function wire() {
  $("search").addEventListener("input", renderGrid);
  $("pay").addEventListener("click", openPayment);
  document.querySelectorAll("[data-method]").forEach((b) => b.addEventListener("click", () => chooseMethod(b.dataset.method)));
  // Notes add up as the buyer hands them over: 200 + 100 + 50.
  document.querySelectorAll("[data-quick]").forEach((b) => b.addEventListener("click", () => {
    state.notes.push(Number(b.dataset.quick) * 100);
    state.tendered = (state.tendered ?? 0) + state.notes.at(-1);
    $("undo-note").disabled = false;
    renderChange();
  }));
  // A note tapped by mistake is taken back, the last one first.
  $("undo-note").addEventListener("click", () => {
    const note = state.notes.pop();
    if (note === undefined) return;
    state.tendered = state.notes.length ? state.tendered - note : null;
    $("undo-note").disabled = !state.notes.length;
    renderChange();
  });
  $("tendered").addEventListener("click", async () => {
    const typed = await keypad(T.tendered, { decimals: 2 });
    if (typed !== null && parseMoney(typed) !== null) {
      state.tendered = parseMoney(typed);
      state.notes = [];
      $("undo-note").disabled = true;
      renderChange();
    }
  });
  $("cancel-pay").addEventListener("click", () => hide("payment"));
  $("confirm").addEventListener("click", confirmPayment);
  $("new-sale").addEventListener("click", () => {
    hide("result");
    if (state.lockWanted) showLock();
    if (state.updateWaiting) reloadWhenIdle(); // between two sales: the moment to update
  });
  $("reprint").addEventListener("click", () => reprint());
  $("void-last").addEventListener("click", voidLast);
  $("open-today").addEventListener("click", openToday);
  $("today-close").addEventListener("click", () => hide("today"));
  $("open-catalogue").addEventListener("click", () => show("catalogue"));
  $("catalogue-close").addEventListener("click", () => hide("catalogue"));
  $("product-form").addEventListener("submit", addProduct);
  $("switch-member").addEventListener("click", () => { state.member = null; sessionStorage.removeItem("pos_member"); loadMembers(); });
  window.addEventListener("online", () => { setOnline(true); flush(); });
  if (tabs) {
    tabs.onmessage = ({ data }) => {
      if (data.kind === "recorded" && data.key === state.pending) onRecorded({ key: data.key }, data.sale);
      renderOutbox();
      renderRefused();
    };
  }
  window.addEventListener("offline", () => setOnline(false));
}

async function start() {
  translateStatic();
  wire();
  wirePrinting();
  renderCart();
  setOnline(navigator.onLine);
  if ("serviceWorker" in navigator) {
    // A worker taking over from another means a new version of the till: taken between
    // sales. The first one taking over a page that had none changes nothing.
    let controlled = Boolean(navigator.serviceWorker.controller);
    navigator.serviceWorker.addEventListener("controllerchange", () => {
      if (controlled) reloadWhenIdle();
      controlled = true;
    });
    const lookForUpdate = () => navigator.serviceWorker.register("/till/sw.js", { scope: "/till" })
      .then((registration) => registration.update()).catch(() => {});
    lookForUpdate();
    window.addEventListener("online", lookForUpdate); // back on the network: a new till?
    setInterval(lookForUpdate, 10 * 60_000);
  }
  // Unsent sales are the only copy: ask the browser not to evict the till's storage.
  if (navigator.storage && navigator.storage.persist) {
    navigator.storage.persist().then((kept) => { state.storageKept = kept; }).catch(() => {});
  }
  await adoptOldRefused();
  await renderOutbox();
  flush(); // anything left from before a reload goes first
  // Tell the organisers this booth is open, now and every minute.
  // ...and what waits on this phone: sales not yet sent, since when, and refused ones.
  const heartbeat = async () => {
    const waiting = await outboxAll();
    const refused = (await refusedAll()).length;
    const oldest = waiting.length ? Math.min(...waiting.map((item) => item.created)) : null;
    const report = {
      outbox: waiting.length,
      oldest_waiting_at: oldest === null ? null : new Date(oldest).toISOString(),
      refused,
    };
    return api("POST", "/devices/heartbeat", report).catch(() => {});
  };
  window.addEventListener("online", heartbeat); // back on the network: say so at once
  heartbeat();
  setInterval(heartbeat, 60_000);
  await Promise.all([loadCatalogue(), loadMembers(), loadPrinting()]);
}

if (TOKEN) start();
