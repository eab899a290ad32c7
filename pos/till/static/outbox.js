// The outbox: each sale sent once, whenever the network allows; none holds the others back.
import { api, oneTabAtATime, tellTabs } from "./api.js";
import { uuid4 } from "./clock.js";
import { $, EXHIBITOR, RETRY_MS, T } from "./page.js";
import { printWaiting } from "./printing.js";
import { renderRefused } from "./refused.js";
import { state, toast } from "./state.js";
import { countWaiting, loadStock } from "./stock.js";
import { cacheSet, isSale, outboxAll, outboxDelete, outboxPut } from "./store.js";
import { clockTime, rememberRecorded } from "./today.js";
import { lookForUpdate, reloadWhenIdle } from "./update.js";

// ---- the outbox: sent once each, whenever the network allows; none holds the others ----
export const BACKOFF_MAX_MS = 60_000;

// Where each item goes: a sale (kind "sale", or none in a till of before) to the booth's
// sales, an order or a contact to the path it was kept with.
export const itemPath = (item) => item.path || `/exhibitors/${EXHIBITOR}/sales`;

// Kept on the phone before the first send, then sent when the network allows.
export async function enqueue(kind, path, body, extra = {}) {
  const item = { key: uuid4(), kind, path, body, created: Date.now(), ...extra };
  await outboxPut(item);
  return item;
}

// What the server's answer means for a sale sent: delivered, refused (for the member to
// review), or try again later (busy, in flight, or not the server at all).
export function outcome(response) {
  if (response.status === 401 && response.fromServer) return "signed_out";
  if (response.status === 201 && response.fromServer && response.data) return "delivered";
  if (!response.fromServer) return "portal";
  if ([408, 409, 425, 429].includes(response.status) || response.status >= 500) return "busy";
  return response.status >= 400 ? "refused" : "busy";
}

export async function renderOutbox() {
  const waiting = (await outboxAll()).sort((a, b) => a.created - b.created);
  $("outbox-count").textContent = waiting.length;
  $("outbox").hidden = waiting.length === 0;
  // Why the oldest waits, when the server was reached and said wait (or was not the server).
  const why = waiting.find((item) => item.why);
  $("outbox-why").textContent = why ? T[`outbox_${why.why}`] : "";
  $("outbox-why").hidden = !why;
  await countWaiting(waiting); // what is left to sell counts what waits here
}

export function flush() {
  if (state.flushQueued) return; // a pass is already on its way
  state.flushQueued = true;
  oneTabAtATime("tadamon-outbox", async () => {
    state.flushQueued = false;
    await sendWaiting();
  });
}

export async function sendWaiting() {
  let next = null;
  let delivered = 0;
  state.sending = true;
  try {
    const items = (await outboxAll()).sort((a, b) => a.created - b.created);
    for (const item of items) {
      if (item.next_at && item.next_at > Date.now()) continue; // backing off: the next one
      let response;
      try {
        response = await api("POST", itemPath(item), item.body, { "Idempotency-Key": item.key });
      } catch (error) {
        break; // no answer at all: the network is down, keep the rest for later
      }
      const result = outcome(response);
      if (result === "delivered") {
        await outboxDelete(item.key);
        delivered += 1;
        if (isSale(item)) {
          onRecorded(item, response.data);
          tellTabs({ kind: "recorded", key: item.key, sale: response.data });
        }
      } else if (result === "signed_out") {
        signedOut();
        return;
      } else if (result === "refused") {
        // Kept on the phone, marked, in one write: never only a toast, never lost.
        await outboxPut({ ...item, state: "refused", problem: response.data, why: null });
        toast(`${T.refused}${T.colon}${(response.data && response.data.detail) || response.status}`);
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
    if (delivered) loadStock(); // the server's figures now count what was sent
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

export function onRecorded(item, sale) {
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

export async function watchPrinting(sale) {
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

export function setOnline(online) {
  // The server answers again after a silence: a new till may have come meanwhile.
  if (online && state.silent) lookForUpdate();
  state.silent = !online;
  if (online) state.lastAnswer = new Date();
  $("net").classList.toggle("offline", !online);
  const last = state.lastAnswer
    ? ` — ${T.last_answer}${T.colon}${clockTime(state.lastAnswer)}`
    : "";
  $("net").title = (online ? T.online : T.offline) + last;
}

export function signedOut() {
  toast(T.signed_out);
  localStorage.removeItem("pos_token");
  setTimeout(() => location.replace("/till/pair"), 2500);
}
