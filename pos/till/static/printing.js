// Printing from the phone: the booth's receipts claimed, their bytes sent to its printer.
import { api, oneTabAtATime } from "./api.js";
import { $, EXHIBITOR, T, TOKEN } from "./page.js";
import { hide, show, state } from "./state.js";
import { cacheGet, cacheSet } from "./store.js";

// Printing from the phone. When the booth's printer is paired to this phone (the organiser
// set its connection to "device"), the server keeps each receipt as a print job and this
// page prints it: it takes the booth's waiting jobs, fetches their exact ESC/POS bytes and
// sends them to the printer over Bluetooth (BLE), the RawBT app (classic Bluetooth), USB or
// serial, then says how it went. A job stays on the server until the phone says "printed".
// The jobs are claimed: the server leases each to one phone for a minute, so that two
// phones or two tabs of a booth never print the same receipt.
// Loaded before till.js, whose api(), T, $, state and EXHIBITOR it uses once started.

// The GATT services of cheap BLE receipt printers and the characteristic each writes to.
export const BLE_PROFILES = [
  { service: "000018f0-0000-1000-8000-00805f9b34fb", characteristic: "00002af1-0000-1000-8000-00805f9b34fb" },
  { service: "49535343-fe7d-4ae5-8fa9-9fafd205e455", characteristic: "49535343-8841-43f4-a8d4-ecbe34729bb3" },
  { service: "e7810a71-73ae-499d-8c15-faa9aef0c3f2", characteristic: "bef8d6c9-9c21-4c9e-b632-bd58c1009f9f" },
];
// A link dropped half way: reconnect and go on from the write that failed, this many times.
export const LINK_ATTEMPTS = 3;
export const WIRED_CHUNK = 4096; // USB and serial take large writes
export const PRINTER_KEY = "pos_printer"; // {transport, chunk, id, name}: chosen once on this phone
export const PRINT_POLL_MS = 30_000;
export const CLAIM_LIMIT = 20;
// RawBT says nothing back: Android opening it (this page hidden) is all a page can see.
export const RAWBT_OPENS_MS = 3000;

export const printing = {
  settings: JSON.parse(localStorage.getItem(PRINTER_KEY) || "null"),
  onPhone: false, // the booth's printer is paired to its phone
  target: null, // the open printer (a BLE device, a USB device, a serial port)
  busy: false,
  again: null, // asked while busy: {tapped}
  unconfirmed: [], // handed to RawBT: "printed" once the member says so
};

export function saveSettings(settings) {
  printing.settings = settings;
  localStorage.setItem(PRINTER_KEY, JSON.stringify(settings));
}

export function progress(done, total) {
  const bar = $("print-progress");
  bar.hidden = done >= total;
  bar.max = total;
  bar.value = done;
}

// Writes ``bytes`` in parts of ``size`` with ``write``; when a write fails, ``reopen``
// and write that part again, never one already taken: the receipt prints once, whole.
export async function writeInParts(bytes, size, write, reopen) {
  let offset = 0;
  let failures = 0;
  progress(0, bytes.length);
  while (offset < bytes.length) {
    const part = bytes.slice(offset, offset + size);
    try {
      await write(part);
      offset += part.length;
      failures = 0;
      progress(offset, bytes.length);
    } catch (error) {
      failures += 1;
      if (failures >= LINK_ATTEMPTS) {
        progress(1, 1);
        throw error;
      }
      await reopen().catch(() => {}); // a failed reconnection counts as the next failure
    }
  }
}

// ---- the ways to a printer ----
export async function bleCharacteristic(device) {
  const server = await device.gatt.connect();
  for (const profile of BLE_PROFILES) {
    try {
      const service = await server.getPrimaryService(profile.service);
      return await service.getCharacteristic(profile.characteristic);
    } catch (error) { /* not this printer's profile: try the next */ }
  }
  throw new Error(T.printer_unknown);
}

export const TRANSPORTS = {
  bluetooth: {
    available: () => "bluetooth" in navigator,
    choose: () => navigator.bluetooth.requestDevice({
      acceptAllDevices: true, optionalServices: BLE_PROFILES.map((profile) => profile.service),
    }),
    // Where the browser allows it, a printer chosen before comes back without a tap.
    async remembered(id) {
      if (!navigator.bluetooth.getDevices) return null;
      return (await navigator.bluetooth.getDevices()).find((device) => device.id === id) || null;
    },
    async send(device, bytes, chunk) {
      let characteristic = await bleCharacteristic(device);
      const write = (part) => (characteristic.writeValueWithResponse
        ? characteristic.writeValueWithResponse(part) : characteristic.writeValue(part));
      await writeInParts(bytes, chunk, write, async () => {
        characteristic = await bleCharacteristic(device);
      });
    },
  },
  usb: {
    available: () => "usb" in navigator,
    choose: () => navigator.usb.requestDevice({ filters: [{ classCode: 7 }] }), // printers
    async remembered() { return (await navigator.usb.getDevices())[0] || null; },
    async send(device, bytes) {
      if (!device.opened) await device.open();
      if (device.configuration === null) await device.selectConfiguration(1);
      const face = device.configuration.interfaces.find((i) => i.alternate.interfaceClass === 7)
        || device.configuration.interfaces[0];
      if (!face.claimed) await device.claimInterface(face.interfaceNumber);
      const out = face.alternate.endpoints.find((e) => e.direction === "out" && e.type === "bulk");
      await writeInParts(bytes, WIRED_CHUNK, (part) => device.transferOut(out.endpointNumber, part),
        async () => { await device.close(); await device.open(); await device.claimInterface(face.interfaceNumber); });
    },
  },
  serial: {
    available: () => "serial" in navigator,
    choose: () => navigator.serial.requestPort(),
    async remembered() { return (await navigator.serial.getPorts())[0] || null; },
    async send(port, bytes) {
      if (!port.writable) await port.open({ baudRate: 9600 });
      const writer = port.writable.getWriter();
      try {
        await writeInParts(bytes, WIRED_CHUNK, (part) => writer.write(part), () => writer.ready);
      } finally {
        writer.releaseLock();
      }
    },
  },
  // Classic-Bluetooth (SPP) printers, which BLE cannot reach, through the RawBT app: the
  // page hands it the bytes in an Android intent. Needs no secure context; says nothing back.
  rawbt: {
    available: () => true,
    choose: async () => ({ id: "rawbt", name: "RawBT" }),
    remembered: async () => ({ id: "rawbt", name: "RawBT" }),
    async send(target, bytes) {
      let binary = "";
      for (let i = 0; i < bytes.length; i += 0x8000) {
        binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      }
      const link = document.createElement("a");
      link.id = "rawbt-link";
      link.href = `intent:base64,${btoa(binary)}#Intent;scheme=rawbt;package=ru.a402d.rawbtprinter;end;`;
      document.body.append(link);
      link.click();
      link.remove();
    },
  },
};

// ---- the printer screen: chosen once, remembered ----
export function renderPrinterScreen() {
  const chosen = printing.settings;
  $("printer-current").textContent = chosen ? `${T.printer_chosen}${T.colon}${chosen.name}` : T.printer_none;
  document.querySelectorAll("[data-transport]").forEach((button) => {
    button.hidden = !TRANSPORTS[button.dataset.transport].available();
    button.classList.toggle("chosen", Boolean(chosen && chosen.transport === button.dataset.transport));
  });
  $("printer-chunk").value = String((chosen && chosen.chunk) || 100);
  $("printer-chunks").hidden = !TRANSPORTS.bluetooth.available(); // Bluetooth's alone
  $("open-printer").hidden = !printing.onPhone;
}

export async function choosePrinter(transport) {
  $("printer-error").hidden = true;
  try {
    const target = await TRANSPORTS[transport].choose(); // the browser's chooser: this tap
    printing.target = target;
    saveSettings({ transport, chunk: Number($("printer-chunk").value), id: target.id || null,
      name: target.name || target.productName || T[`printer_${transport}`] });
    renderPrinterScreen();
    printWaiting({ tapped: true });
  } catch (error) {
    if (error && error.name === "NotFoundError") return; // the chooser was closed
    $("printer-error").textContent = `${T.printer_unavailable} (${error.message || error})`;
    $("printer-error").hidden = false;
  }
}

// The printer to send to now, or null when it takes a tap (``tapped`` is that tap).
export async function openPrinter(tapped) {
  const chosen = printing.settings;
  if (!chosen) return null;
  const transport = TRANSPORTS[chosen.transport];
  if (!printing.target) printing.target = await transport.remembered(chosen.id).catch(() => null);
  if (!printing.target && tapped) printing.target = await transport.choose();
  return printing.target;
}

// ---- the booth's jobs ----
export async function jobBytes(job) {
  const response = await fetch(`/api/v1/print-jobs/${job.id}/escpos`, {
    headers: { Authorization: `Bearer ${TOKEN}` },
  });
  if (!response.ok) throw new Error(String(response.status));
  return new Uint8Array(await response.arrayBuffer());
}

// What the phone's printer did that the server has not heard (its answer lost, the server
// down): kept on the phone and said again before anything more is claimed, or the next
// claim would hand back a receipt already on paper.
export const UNSAID_KEY = "print_results_unsaid";

async function say({ id, state, detail }) {
  const { status } = await api("POST", `/print-jobs/${id}/result`, { state, detail });
  return status < 500; // a 409 (the receipt is no longer this phone's): nothing more to say
}

export async function reportJob(job, state, detail = "") {
  const result = { id: job.id, state, detail: detail.slice(0, 500) };
  try {
    if (await say(result)) return;
  } catch (error) {
    /* no answer: kept, and said again */
  }
  const unsaid = (await cacheGet(UNSAID_KEY)) || [];
  await cacheSet(UNSAID_KEY, [...unsaid.filter((kept) => kept.id !== job.id), result]);
}

export async function sayUnsaid() {
  const unsaid = (await cacheGet(UNSAID_KEY)) || [];
  const left = [];
  for (const result of unsaid) {
    const said = await say(result).catch(() => false);
    if (!said) left.push(result);
  }
  if (unsaid.length) await cacheSet(UNSAID_KEY, left);
}

export function showWaiting(count) {
  $("print-waiting").hidden = count === 0;
  $("print-waiting-count").textContent = String(count);
}

// Whether the page is hidden within ``ms``: Android brought another app (RawBT) forward.
export function pageHiddenWithin(ms) {
  return new Promise((resolve) => {
    const seen = () => { if (document.visibilityState === "hidden") finish(true); };
    const finish = (hidden) => {
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", seen);
      resolve(hidden);
    };
    const timer = setTimeout(() => finish(false), ms);
    document.addEventListener("visibilitychange", seen);
  });
}

// RawBT is an Android intent: the browser opens one only right after a tap (the one that
// paid, or "Print the waiting receipts"), and one at a time: the receipts go in one. It
// tells nothing back, so the receipts are "sent to RawBT" until the member confirms
// they came out (or "not printed" when RawBT did not even open).
export async function sendToRawbt(target, jobs, asked) {
  const activated = !navigator.userActivation || navigator.userActivation.isActive;
  if (!asked || !activated) return false;
  const parts = [];
  for (const job of jobs) parts.push(await jobBytes(job));
  const all = new Uint8Array(parts.reduce((size, part) => size + part.length, 0));
  parts.reduce((offset, part) => (all.set(part, offset), offset + part.length), 0);
  const opened = pageHiddenWithin(RAWBT_OPENS_MS);
  await TRANSPORTS.rawbt.send(target, all);
  if (!(await opened)) {
    for (const job of jobs) await reportJob(job, "failed", T.rawbt_not_opened);
    $("print-status").textContent = `${T.print_failed} (${T.rawbt_not_opened})`;
    return false;
  }
  for (const job of jobs) await reportJob(job, "sent", T.rawbt_sent);
  printing.unconfirmed = jobs;
  $("print-status").textContent = T.rawbt_sent;
  showConfirm(true);
  return true;
}

// The question "did it print?", on the sale's sheet and in the header.
export const showConfirm = (shown) =>
  document.querySelectorAll(".print-confirm").forEach((button) => { button.hidden = !shown; });

// The member saw the receipts come out of the RawBT printer.
export async function confirmPrinted() {
  const jobs = printing.unconfirmed;
  printing.unconfirmed = [];
  showConfirm(false);
  for (const job of jobs) await reportJob(job, "printed");
  $("print-status").textContent = T.print_printed;
}

// The booth's waiting jobs, leased to this phone; ``failed`` too when the member asked.
export async function claimJobs(tapped) {
  const { status, data } = await api("POST", `/exhibitors/${EXHIBITOR}/print-jobs/claim`,
    { limit: CLAIM_LIMIT, include_failed: tapped });
  return status === 200 ? data.items : [];
}

// Prints the booth's waiting receipts, oldest first; ``tapped``: the cashier asked (then
// receipts that failed go again, and the printer may be chosen); ``fresh``: right after the
// tap that paid a sale. Stops at the first failure.
export async function printWaiting({ tapped = false, fresh = false } = {}) {
  if (!printing.onPhone) return;
  if (printing.busy) {
    printing.again = printing.again || { tapped, fresh }; // asked meanwhile: look again after
    return;
  }
  printing.busy = true;
  try {
    // One tab of the phone prints at a time: two tabs never print the same receipt.
    await oneTabAtATime("tadamon-print", () => printClaimed({ tapped, fresh }));
  } catch (error) {
    /* offline: the jobs wait on the server, and are asked for again */
  } finally {
    printing.busy = false;
    const again = printing.again;
    printing.again = null;
    if (again) printWaiting(again);
  }
}

export async function printClaimed({ tapped, fresh }) {
  await sayUnsaid();
  const jobs = await claimJobs(tapped);
  const target = jobs.length ? await openPrinter(tapped).catch(() => null) : null;
  if (!target) {
    showWaiting(jobs.length);
    return;
  }
  const { transport, chunk } = printing.settings;
  if (transport === "rawbt") {
    const sent = await sendToRawbt(target, jobs, tapped || fresh);
    showWaiting(sent ? 0 : jobs.length);
    return;
  }
  let left = jobs.length;
  for (const job of jobs) {
    const bytes = await jobBytes(job);
    try {
      await TRANSPORTS[transport].send(target, bytes, chunk || 100);
    } catch (error) {
      printing.target = null; // reopened on the next try
      await reportJob(job, "failed", String(error.message || error));
      $("print-status").textContent = `${T.print_failed} (${error.message || error})`;
      break;
    }
    await reportJob(job, "printed");
    left -= 1;
    if (state.lastSale && state.lastSale.id === job.sale_id) $("print-status").textContent = T.print_printed;
  }
  showWaiting(left);
}

// Whether the booth's printer is this phone's: asked of the server, kept for offline starts.
export async function loadPrinting() {
  try {
    const { status, data } = await api("GET", `/exhibitors/${EXHIBITOR}/printer`);
    printing.onPhone = status === 200 && data.connection === "device";
    await cacheSet("printer_on_phone", printing.onPhone);
  } catch (error) {
    printing.onPhone = Boolean(await cacheGet("printer_on_phone"));
  }
  renderPrinterScreen();
  if (printing.onPhone && !printing.settings) show("printer"); // first time: choose it
  printWaiting();
}

export function wirePrinting() {
  $("open-printer").addEventListener("click", () => { renderPrinterScreen(); show("printer"); });
  $("printer-close").addEventListener("click", () => hide("printer"));
  document.querySelectorAll("[data-transport]").forEach((button) =>
    button.addEventListener("click", () => choosePrinter(button.dataset.transport)));
  $("printer-chunk").addEventListener("change", () => {
    if (printing.settings) saveSettings({ ...printing.settings, chunk: Number($("printer-chunk").value) });
  });
  $("print-waiting").addEventListener("click", () => printWaiting({ tapped: true }));
  document.querySelectorAll(".print-confirm").forEach((button) =>
    button.addEventListener("click", confirmPrinted));
  window.addEventListener("online", () => printWaiting());
  setInterval(() => printWaiting(), PRINT_POLL_MS);
}
