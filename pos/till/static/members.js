// Members and their PINs: who sells, checked online or against the verifier the phone keeps.
import { api } from "./api.js";
import { keypad } from "./keypad.js";
import { $, EXHIBITOR, T } from "./page.js";
import { hide, show, state, toast } from "./state.js";
import { cacheGet, cacheSet } from "./store.js";

// ---- members and PINs ----
export async function loadMembers() {
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
export function showLock() {
  if (state.paying || !$("result").hidden || !$("payment").hidden) {
    state.lockWanted = true;
    return;
  }
  state.lockWanted = false;
  show("lock");
}

// PBKDF2 of the PIN against the verifier the phone keeps (pos.members.verifier), when the
// server cannot be asked. WebCrypto: HTTPS or localhost only.
export async function pinMatches(verifier, pin) {
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
export async function pinAccepted(member, pin) {
  try {
    const { status, fromServer } = await api("POST", `/members/${member.id}/unlock`, { pin: pin || "0000" });
    if (fromServer) return status === 200 ? "yes" : status === 423 ? "locked" : "no";
  } catch (error) { /* offline: checked on the phone */ }
  if (!member.has_pin) return "yes";
  const matched = await pinMatches(member.pin_verifier, pin);
  return matched === null ? "unknown" : matched ? "yes" : "no";
}

export async function unlock(member) {
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
