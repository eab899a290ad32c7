// Today: the day's sales and takings, from the server and from this phone.
import { api } from "./api.js";
import { clockNow } from "./clock.js";
import { formatMoney, money, parseMoney } from "./money.js";
import { $, EXHIBITOR, FAIR_OFFSET_MINUTES, T } from "./page.js";
import { reprint, voidSale } from "./receipt.js";
import { renderRefused } from "./refused.js";
import { show, state } from "./state.js";
import { cacheGet, cacheSet, isSale, outboxAll } from "./store.js";

// ---- today: the day's sales and totals, from the server and from this phone ----
// The fair's day, by the fair's offset rather than the phone's zone: a phone set to another
// zone (or a browser on UTC between 23:00 and midnight) counts a sale on the fair's day.
export function localDate(moment = clockNow()) {
  return new Date(moment.getTime() + FAIR_OFFSET_MINUTES * 60_000).toISOString().slice(0, 10);
}
// A time as the till's language writes it in Morocco, on a 24-hour clock.
const TIME_LOCALE = document.documentElement.lang === "ar" ? "ar-MA-u-nu-latn" : document.documentElement.lang;
export const clockTime = (moment) =>
  new Date(moment).toLocaleTimeString(TIME_LOCALE, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

// The server's list of the day, kept on the phone, with the sales this phone records since.
export async function rememberRecorded(sale) {
  const day = localDate();
  const cached = (await cacheGet(`today:${day}`)) || { at: null, items: [] };
  cached.items = [sale, ...cached.items.filter((item) => item.id !== sale.id)];
  await cacheSet(`today:${day}`, cached);
}

export async function dayOfSales() {
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

export function saleRow(label, total, methods, extra) {
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

export function rowButton(label, handler, cls = "ghost") {
  const button = document.createElement("button");
  button.className = cls;
  button.textContent = label;
  button.addEventListener("click", handler);
  return button;
}

export async function openToday() {
  show("today");
  $("today-count").textContent = $("today-net").textContent = "…";
  const { recorded, source } = await dayOfSales();
  const day = localDate();
  const waiting = (await outboxAll())
    .filter((item) => isSale(item) && localDate(new Date(item.created)) === day)
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
export function renderByMember(completed, waiting) {
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
