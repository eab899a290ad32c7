// What the phone keeps in IndexedDB: the outbox (sales to send, and those refused) and the cache.
import { T } from "./page.js";
import { state, toast } from "./state.js";
import { reloadWhenIdle } from "./update.js";

// ---- IndexedDB: the outbox and the cached catalogue ----
export const DB_VERSION = 1;
export const db = new Promise((resolve, reject) => {
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
export async function store(name, mode, action) {
  const handle = await db;
  return new Promise((resolve, reject) => {
    const tx = handle.transaction(name, mode);
    const result = action(tx.objectStore(name));
    tx.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}
// What the outbox holds: sales (tills of before kept only those, with no kind), and orders
// and contacts taken at the booth.
export const isSale = (item) => !item.kind || item.kind === "sale";
export const outboxItems = () => store("outbox", "readonly", (s) => s.getAll());
// The sales still to send, and those the server refused (kept until settled).
export const outboxAll = async () => (await outboxItems()).filter((item) => item.state !== "refused");
export const refusedAll = async () => (await outboxItems()).filter((item) => item.state === "refused");
export const outboxPut = (item) => store("outbox", "readwrite", (s) => s.put(item));
export const outboxDelete = (key) => store("outbox", "readwrite", (s) => s.delete(key));
export const cacheGet = (name) => store("cache", "readonly", (s) => s.get(name));
export const cacheSet = (name, value) => store("cache", "readwrite", (s) => s.put(value, name));
export const cacheKeys = () => store("cache", "readonly", (s) => s.getAllKeys());
export const cacheDelete = (name) => store("cache", "readwrite", (s) => s.delete(name));

// Tills of before kept refused sales in the cache store: each moves into the outbox,
// marked refused, in one transaction over both stores (a crash leaves it in one place).
export async function adoptOldRefused() {
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
