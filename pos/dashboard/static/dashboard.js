// The live dashboard: fetches today's figures every few seconds and redraws them.
"use strict";
const EVENT = document.body.dataset.event;
const LABELS = JSON.parse(document.getElementById("labels").textContent);
const POLL_MS = 2500;
const $ = (id) => document.getElementById(id);
let sortKey = "net";
let sortDescending = true;
let data = JSON.parse($("live-data").textContent);

// An amount string ("2681360.00") in whole centimes, read from its digits (exact to 90
// trillion DH), never multiplied as a float.
const cents = (text) => Number(String(text).replace(".", ""));
// Numbers as the page's language writes them in Morocco: "61 844 591,25" in French,
// "125.300,00" in Arabic (Western digits), and a 24-hour clock.
const LANG = document.documentElement.lang === "ar" ? "ar-MA-u-nu-latn" : document.documentElement.lang;
const NUMBERS = new Intl.NumberFormat(LANG);
const DECIMAL = NUMBERS.formatToParts(1.5).find((part) => part.type === "decimal").value;
const amount = (text) => {
  const [whole, fraction = ""] = String(text).replace("-", "").split(".");
  const sign = String(text).startsWith("-") ? "-" : "";
  return `${sign}${NUMBERS.format(BigInt(whole))}${DECIMAL}${fraction.padEnd(2, "0")}`;
};
const count = (n) => NUMBERS.format(n);
const clockTime = (moment) => new Date(moment).toLocaleTimeString(LANG, { hourCycle: "h23" });
const plural = (forms, n) => (forms[new Intl.PluralRules(LANG).select(n)] || forms.other).replace("%(num)s", count(n));
// Search ignores case and accents ("beni mellal" finds "Béni Mellal"), and Arabic's
// vowel marks and hamza seats.
const fold = (text) => String(text || "").normalize("NFKD").replace(/[\u0300-\u036f\u064b-\u065f\u0670]/g, "")
  .replace(/[أإآ]/g, "ا").replace(/ى/g, "ي").replace(/ة/g, "ه").toLowerCase();

function renderTable() {
  const filter = fold($("filter").value.trim());
  const rows = data.exhibitors
    .filter((row) => !filter || fold(`${row.booth} ${row.name} ${row.name_ar}`).includes(filter))
    .sort((a, b) => {
      const numeric = ["net", "sales_count"].includes(sortKey);
      const x = numeric ? cents(a[sortKey]) : String(a[sortKey] || "");
      const y = numeric ? cents(b[sortKey]) : String(b[sortKey] || "");
      return (x < y ? -1 : x > y ? 1 : 0) * (sortDescending ? -1 : 1);
    });
  const body = $("exhibitors").tBodies[0];
  body.replaceChildren(...rows.map((row) => {
    const tr = document.createElement("tr");
    tr.dataset.exhibitor = row.exhibitor_id;
    tr.classList.toggle("idle", !row.seen_today);
    const seen = row.last_seen_at ? clockTime(row.last_seen_at) : LABELS.never;
    for (const value of [row.booth, document.documentElement.lang === "ar" ? row.name_ar : row.name,
      count(row.sales_count), amount(row.net), seen]) {
      const td = document.createElement("td");
      td.textContent = value;
      tr.append(td);
    }
    return tr;
  }));
  document.querySelectorAll("#exhibitors th").forEach((th) => {
    th.classList.toggle("sorted-asc", th.dataset.key === sortKey && !sortDescending);
    th.classList.toggle("sorted-desc", th.dataset.key === sortKey && sortDescending);
  });
}

function renderBars(id, rows) {
  const box = $(id);
  const top = Math.max(1, ...rows.map((row) => cents(row.net)));
  box.replaceChildren(...rows.map((row) => {
    const line = document.createElement("div");
    line.className = "bar-row";
    const label = document.createElement("span");
    label.className = "bar-label";
    label.textContent = row.label;
    const meter = document.createElement("meter");
    meter.className = "meter";
    meter.max = top;
    meter.value = cents(row.net);
    const value = document.createElement("span");
    value.dir = "ltr";
    value.textContent = amount(row.net);
    line.append(label, meter, value);
    return line;
  }));
}

function render() {
  $("fair-total").textContent = amount(data.totals.net);
  $("sales-count").textContent = count(data.totals.sales_count);
  $("avg-basket").textContent = amount(data.totals.avg_basket);
  $("not-selling").textContent = count(data.not_selling.length);
  $("not-seen").textContent = count(data.not_seen.length);
  $("waiting-sales").textContent = count(data.phones.waiting_sales);
  $("booths-waiting").textContent = plural(LABELS.booths, data.phones.booths_waiting);
  $("refused-sales").textContent = count(data.phones.refused_sales);
  $("updated").textContent = clockTime(data.generated_at);
  renderTable();
  for (const key of ["by_sector", "by_province", "by_legal_form", "by_hour"]) renderBars(key, data[key]);
  const methods = Object.entries(data.totals.by_method).map(([key, net]) => ({ key, label: LABELS.methods[key] || key, net }));
  renderBars("by_method", methods.sort((a, b) => cents(b.net) - cents(a.net)));
}

async function poll() {
  try {
    const response = await fetch(`/dashboard/live.json?event=${EVENT}`, { credentials: "same-origin" });
    if (response.redirected || response.status === 401) return location.reload();
    if (response.ok) { data = await response.json(); render(); }
  } catch (error) { /* the network dropped: try again at the next tick */ }
}

document.querySelectorAll("#exhibitors th").forEach((th) => th.addEventListener("click", () => {
  sortDescending = th.dataset.key === sortKey ? !sortDescending : th.hasAttribute("data-numeric");
  sortKey = th.dataset.key;
  renderTable();
}));
$("filter").addEventListener("input", renderTable);
render();
setInterval(poll, POLL_MS);
