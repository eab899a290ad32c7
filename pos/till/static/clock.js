// Time on a clock that cannot jump: the page's own, set by the server's at each answer.
import { $ } from "./page.js";

// ---- time from a clock that cannot jump ----
// The phone's clock may be set right, or wrong, between a sale and its sending; the page's
// own clock (performance.now) only goes forward. A moment is the page's start plus the time
// since, moved by what the server's clock said at its last answer (its Date header).
export const clock = { offset: 0 };
export const steadyNow = () => performance.timeOrigin + performance.now();
export function learnClock(response) {
  const said = Date.parse(response.headers.get("Date") || "");
  if (!Number.isNaN(said)) clock.offset = said - steadyNow();
}
export const clockNow = () => new Date(steadyNow() + clock.offset);
export const deviceClock = () => clockNow().toISOString();

// A UUID v4 from getRandomValues: crypto.randomUUID needs HTTPS, the fair LAN may not have it.
export function uuid4() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
