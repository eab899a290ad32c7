// The server's API: one request with its deadline, writes sent again with their key, one tab at a time, news to the other tabs.
import { deviceClock, learnClock, uuid4 } from "./clock.js";
import { setOnline } from "./outbox.js";
import { $, TOKEN } from "./page.js";

// ---- the API ----
// A fair's Wi-Fi may take a request and never answer: past this the till counts as offline
// (the sale stays in the outbox, sent again later with the same key).
export const REQUEST_TIMEOUT_MS = 10_000;

// A photo of several MB on the fair's Wi-Fi takes longer than a sale.
export const UPLOAD_TIMEOUT_MS = 60_000;

export async function api(method, path, body, headers = {}) {
  // A form (a photo) goes as it is, the browser writing its multipart type.
  const form = body instanceof FormData;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), form ? UPLOAD_TIMEOUT_MS : REQUEST_TIMEOUT_MS);
  let response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      // The phone's clock with every request: the server corrects a sale's time if it is off.
      headers: {
        Authorization: `Bearer ${TOKEN}`,
        ...(form ? {} : { "Content-Type": "application/json" }),
        "Device-Clock": deviceClock(),
        "Accept-Language": document.documentElement.lang, // the server's words in the till's
        ...headers,
      },
      body: body === undefined || form ? body : JSON.stringify(body),
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
export const WRITE_TRIES = 3;
export async function apiOnce(method, path, body) {
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
export function oneTabAtATime(name, action) {
  return navigator.locks ? navigator.locks.request(name, action) : action();
}

// The other tabs of this phone hear what changed here.
export const tabs = "BroadcastChannel" in window ? new BroadcastChannel("tadamon-till") : null;
export const tellTabs = (message) => tabs && tabs.postMessage(message);
