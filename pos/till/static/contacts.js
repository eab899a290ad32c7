// Business contacts made at the booth (a shop, a hotel, an exporter): kept in the outbox
// and sent like sales, whenever the network allows.
import { deviceClock } from "./clock.js";
import { enqueue, flush, renderOutbox } from "./outbox.js";
import { $, EXHIBITOR, T } from "./page.js";
import { hide, oneTap, show, state, toast } from "./state.js";

export function openContact() {
  $("contact-form").reset();
  show("contact");
  $("contact-form").name.focus();
}

export function recordContact(event) {
  event.preventDefault();
  return oneTap(() => keepContact(event.target));
}

async function keepContact(form) {
  await enqueue("contact", `/exhibitors/${EXHIBITOR}/contacts`, {
    kind: form.kind.value,
    name: form.name.value.trim(),
    phone: form.phone.value.trim() || null,
    interest: form.interest.value.trim() || null,
    made_at: deviceClock(),
    ...(state.member ? { member_id: Number(state.member) } : {}),
  });
  hide("contact");
  toast(T.contact_recorded);
  await renderOutbox();
  flush();
}

export function wireContacts() {
  $("open-contact").addEventListener("click", openContact);
  $("contact-close").addEventListener("click", () => hide("contact"));
  $("contact-form").addEventListener("submit", recordContact);
}
