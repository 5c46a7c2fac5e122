// The orders dashboard at /admin: totals and a chart per day from the server's exact figures
// (/admin/api/stats), the orders table paged, filtered and searched on the server, an order's
// event timeline, the feedback forum's latest activity, quarantined deliveries, live refresh
// and the JSON-lines export. Nothing here grows with the number of orders stored.
import { describeFailure, el, failureNotice, request, sessionStatus } from "./api.js";
import { fillHeader, localTime, showGate as showAdminGate, showsAlready } from "./admin-shell.js";
import { drawChart, dayRange } from "./chart.js";
import { mountDevBanner } from "./dev-banner.js";
import { forumSignature, loadForumActivity, renderForumActivity } from "./forum-activity.js";

const REFRESH_SECONDS = 5;
const PAGE_SIZE = 50;
const STATE_LABELS = { created: "Created", refund_requested: "Refund requested", refunded: "Refunded" };
const CONFIRMATION_LABELS = { unconfirmed: "Not checked", pending: "Pending", confirmed: "Confirmed", mismatch: "Mismatch", not_found: "Not found" };
const SOURCE_NAMES = { thingiverse: "Thingiverse", userecho: "UserEcho" };
const $ = (id) => document.getElementById(id);

const data = {
  stats: { order: null, received: null },
  orders: [],
  nextCursor: null,
  confirmations: new Map(),
  quarantine: [],
  forum: { events: [], failure: null },
  loadedAt: null,
};
/** The cursors of the pages before the one shown (for "Newer"), and the one shown. */
const paging = { previous: [], cursor: null };
let selectedOrder = null;
let timer = null;
let loading = false;

// ---- money and time ------------------------------------------------------------------------

/** Exact decimal text (`"5894050.91"`) as dollars with separators (`$5,894,050.91`), never via a float. */
export function money(decimal) {
  const match = /^\s*(-?)(\d+)(?:\.(\d*))?\s*$/.exec(String(decimal ?? ""));
  if (!match) return "–";
  const whole = match[2].replace(/^0+(?=\d)/, "").replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const fraction = (match[3] || "").padEnd(2, "0");
  return `${match[1]}$${whole}.${fraction}`;
}

function count(value) {
  return Number(value).toLocaleString("en-US");
}

function orderDate(text) {
  return text ? String(text).replace("T", " ").slice(0, 16) : "–";
}

// ---- loading -------------------------------------------------------------------------------

/** The orders page shown: the filters and the cursor as query parameters. */
function ordersQuery() {
  const parameters = new URLSearchParams({ limit: String(PAGE_SIZE) });
  const state = $("filter-state").value;
  const search = $("filter-search").value.trim().replace(/^#/, "");
  if (state) parameters.set("state", state);
  if (search) parameters.set("q", search);
  if (paging.cursor) parameters.set("cursor", paging.cursor);
  return parameters.toString();
}

/** A search the server cannot run (not a whole number) finds nothing, without asking. */
function searchIsValid() {
  const search = $("filter-search").value.trim().replace(/^#/, "");
  return search === "" || /^\d{1,18}$/.test(search);
}

async function loadOrders() {
  if (!searchIsValid()) return { orders: [], nextCursor: null };
  const reply = await request(`/admin/api/orders?${ordersQuery()}`);
  if (!reply.ok) return { failure: reply };
  return { orders: reply.body.orders, nextCursor: reply.body.next_cursor };
}

/**
 * The figures (both bases, for the chart's switch), one page of orders, the latest confirmation
 * per order among the latest events, the quarantine, and the forum's latest events (whose
 * failure only the forum card shows).
 */
async function loadAll() {
  // Thingiverse's events only: the forum's hooks share the log, carry no order and must not
  // push order events out of these 500.
  const [byOrder, byReceived, orders, events, quarantine, forum] = await Promise.all([
    request("/admin/api/stats?basis=order"),
    request("/admin/api/stats?basis=received"),
    loadOrders(),
    request("/admin/api/events?source=thingiverse&limit=500"),
    request("/admin/api/quarantine?limit=50"),
    loadForumActivity().catch((error) => ({ events: [], failure: error })),
  ]);
  for (const reply of [byOrder, byReceived, events, quarantine]) {
    if (!reply.ok) return { failure: reply };
  }
  if (orders.failure) return { failure: orders.failure };
  // Events come newest first, so the first one seen for an order is its latest.
  const confirmations = new Map();
  for (const event of events.body.events) {
    if (event.order_id !== null && !confirmations.has(event.order_id)) confirmations.set(event.order_id, event.confirmation);
  }
  return {
    stats: { order: byOrder.body, received: byReceived.body },
    orders: orders.orders, nextCursor: orders.nextCursor,
    confirmations, quarantine: quarantine.body.quarantine, forum,
  };
}

async function refresh({ announce = false } = {}) {
  if (loading) return;
  loading = true;
  $("refresh").disabled = true;
  try {
    const result = await loadAll();
    if (result.failure) {
      handleFailure(result.failure);
      return;
    }
    const before = data.stats.order?.orders ?? 0;
    const hadData = data.loadedAt !== null;
    Object.assign(data, result, { loadedAt: new Date() });
    $("dashboard-error").replaceChildren();
    render();
    if (selectedOrder !== null) await showOrder(selectedOrder, { quiet: true });
    const total = data.stats.order.orders;
    const added = total - before;
    if (announce || (hadData && added > 0)) {
      $("live-status").textContent = added > 0 && hadData ? `${added} new ${added === 1 ? "order" : "orders"}.` : `${total} orders.`;
    }
  } catch (error) {
    $("dashboard-error").replaceChildren(failureNotice(describeFailure(error)));
  } finally {
    loading = false;
    $("refresh").disabled = false;
  }
}

/** Loads the orders page again (a filter, the search or the page changed). */
let ordersRequest = 0;
async function reloadOrders() {
  const ticket = ++ordersRequest;
  try {
    const result = await loadOrders();
    if (ticket !== ordersRequest) return; // a later change has its own answer coming
    if (result.failure) {
      handleFailure(result.failure);
      return;
    }
    data.orders = result.orders;
    data.nextCursor = result.nextCursor;
    renderOrders();
  } catch (error) {
    $("dashboard-error").replaceChildren(failureNotice(describeFailure(error)));
  }
}

function handleFailure(reply) {
  if (reply.status === 401 || reply.status === 403) {
    showGate(reply.status, reply.body?.message);
    return;
  }
  $("dashboard-error").replaceChildren(failureNotice(describeFailure(reply, "/admin")));
}

function showGate(status, message) {
  stopLive();
  showAdminGate({ status, message, signedIn, subject: "the orders", returnTo: "/admin" });
}

// ---- rendering -----------------------------------------------------------------------------

function render() {
  renderTotals();
  renderChart();
  renderOrders();
  renderQuarantine();
  renderForum();
  $("updated").textContent = `Updated ${data.loadedAt.toLocaleTimeString()}${$("live").checked ? ` · refreshing every ${REFRESH_SECONDS} s` : ""}`;
}

function renderTotals() {
  const stats = data.stats.order;
  $("total-orders").textContent = count(stats.orders);
  $("total-orders-sub").textContent = `${count(stats.states.created)} active`;
  $("total-revenue").textContent = money(stats.revenue);
  $("total-refunds").textContent = money(stats.refunded_amount);
  $("total-refunds-sub").textContent = `${count(stats.refunds_granted)} ${stats.refunds_granted === 1 ? "order" : "orders"}`;
  $("total-requested").textContent = count(stats.refunds_requested);
  $("totals").dataset.orders = String(stats.orders);
}

function renderChart() {
  const basis = $("chart-basis").value;
  const stats = basis === "received" ? data.stats.received : data.stats.order;
  if (!stats) return;
  const counts = new Map(stats.days.map((day) => [day.day, { orders: day.orders, refunds: day.refunds }]));
  const days = dayRange(counts);
  const container = $("chart");
  const signature = `${basis}|${container.clientWidth}|${days.map((day) => `${day.day}:${day.orders}:${day.refunds}`).join(",")}`;
  if (showsAlready(container, signature)) return;
  drawChart(container, days);
}

function stateBadge(state) {
  const badge = el("span", { className: `badge ${STATE_LABELS[state] ? state : "neutral"}` }, STATE_LABELS[state] || state);
  badge.dataset.state = state;
  return badge;
}

function confirmationBadge(confirmation) {
  const status = confirmation || "unconfirmed";
  const badge = el("span", { className: `badge ${status === "unconfirmed" ? "neutral" : status}` }, CONFIRMATION_LABELS[status] || status);
  badge.dataset.confirmation = status;
  return badge;
}

function renderOrders() {
  const orders = data.orders;
  const body = $("orders-body");
  const state = $("filter-state").value;
  const search = $("filter-search").value.trim().replace(/^#/, "");
  const total = data.stats.order?.orders ?? 0;
  if (orders.length === 0) {
    const message = total === 0 && !state && !search
      ? "No orders yet. They appear here as Thingiverse's webhooks arrive."
      : searchIsValid() ? "No orders match these filters." : "Search for an order id or a thing id (a whole number).";
    body.replaceChildren(el("tr", { className: "empty-row" }, el("td", { colspan: 8 }, message)));
    delete body.dataset.signature;
  } else {
    // A refresh that changed nothing on this page leaves the rows (and focus) as they are.
    const rows = orders.map((order) =>
      `${order.order_id}:${order.state}:${order.amount}:${order.event_count}:${order.last_received_at}:${data.confirmations.get(order.order_id) || ""}`);
    if (!showsAlready(body, `${selectedOrder}|${rows.join(",")}`)) body.replaceChildren(...orders.map(orderRow));
  }
  // How many there are comes from the figures, so a page of 50 never pretends to be all of them.
  const first = paging.previous.length * PAGE_SIZE + 1;
  const shown = orders.length === 0 ? "" : data.nextCursor || paging.previous.length > 0
    ? ` · showing ${count(first)}–${count(first + orders.length - 1)}` : "";
  let text;
  if (search) {
    text = `${orders.length}${data.nextCursor ? "+" : ""} ${orders.length === 1 ? "order" : "orders"} with order or thing id ${search}`;
  } else if (state) {
    const matching = data.stats.order?.states[state] ?? orders.length;
    text = `${count(matching)} of ${count(total)} orders${shown}`;
  } else {
    text = `${count(total)} ${total === 1 ? "order" : "orders"}${shown}`;
  }
  $("orders-count").textContent = text;
  $("orders-newer").disabled = paging.previous.length === 0;
  $("orders-older").disabled = !data.nextCursor;
  $("orders-pager").hidden = paging.previous.length === 0 && !data.nextCursor;
}

/** Back to the first page (the filters changed). */
function firstPage() {
  paging.previous = [];
  paging.cursor = null;
}

function orderRow(order) {
  const id = order.order_id;
  const open = el("button", { type: "button", className: "order-link", "aria-label": `Order ${id}: show its events` }, `#${id}`);
  open.addEventListener("click", (event) => {
    event.stopPropagation();
    showOrder(id);
  });
  // data-label names the column where the table is shown as cards (phones).
  const row = el("tr", { id: `order-${id}` },
    el("td", { "data-label": "Order" }, open),
    el("td", { "data-label": "State" }, stateBadge(order.state)),
    el("td", { className: "num", "data-label": "Amount" }, order.amount !== null ? money(order.amount) : "–"),
    el("td", { "data-label": "Thing" }, order.thing_id !== null ? `#${order.thing_id}` : "–"),
    el("td", { "data-label": "Ordered" }, orderDate(order.add_date)),
    el("td", { "data-label": "Last event" }, localTime(order.last_received_at)),
    el("td", { className: "num", "data-label": "Events" }, String(order.event_count)),
    el("td", { "data-label": "Confirmation" }, confirmationBadge(data.confirmations.get(id))));
  row.dataset.state = order.state;
  if (id === selectedOrder) {
    row.classList.add("selected");
    open.setAttribute("aria-current", "true");
  }
  row.addEventListener("click", () => showOrder(id));
  return row;
}

async function showOrder(id, { quiet = false } = {}) {
  const changed = selectedOrder !== id;
  selectedOrder = id;
  for (const row of $("orders-body").querySelectorAll("tr.selected")) row.classList.remove("selected");
  $(`order-${id}`)?.classList.add("selected");
  const target = $("detail-body");
  if (changed) target.replaceChildren(el("p", { className: "muted" }, `Loading order ${id}…`));
  let reply;
  try {
    reply = await request(`/admin/api/orders/${encodeURIComponent(id)}`);
  } catch (error) {
    target.replaceChildren(failureNotice(describeFailure(error)));
    return;
  }
  if (!reply.ok) {
    if (reply.status === 401 || reply.status === 403) return handleFailure(reply);
    target.replaceChildren(failureNotice(describeFailure(reply, "/admin")));
    return;
  }
  if (quiet && !changed && target.dataset.signature === signature(reply.body)) return;
  renderDetail(reply.body);
  if (!quiet && window.matchMedia("(max-width: 56rem)").matches) {
    $("detail").scrollIntoView({ behavior: "smooth", block: "start" });
  }
}

function signature(detail) {
  return `${detail.order.state}:${detail.history.map((event) => `${event.id}${event.confirmation}`).join(",")}`;
}

function renderDetail(detail) {
  const order = detail.order;
  const facts = el("dl", { className: "facts" },
    el("dt", {}, "Order"), el("dd", {}, `#${order.order_id}`),
    el("dt", {}, "State"), el("dd", {}, stateBadge(order.state)),
    el("dt", {}, "Amount"), el("dd", {}, order.amount !== null ? `${money(order.amount)}${order.fees ? ` (fees ${money(order.fees)})` : ""}` : "–"),
    el("dt", {}, "Thing"), el("dd", {}, order.thing_id !== null ? `#${order.thing_id}` : "–"),
    el("dt", {}, "Ordered"), el("dd", {}, orderDate(order.add_date)),
    el("dt", {}, "Modified"), el("dd", {}, orderDate(order.modified_date)),
    el("dt", {}, "Creation seen"), el("dd", {}, order.creation_seen ? "yes" : "not yet (a later event came first)"));
  const timeline = el("ol", { className: "timeline", id: "timeline", "aria-label": `Events of order ${order.order_id}, oldest first` },
    ...detail.history.map(timelineItem));
  const target = $("detail-body");
  target.dataset.signature = signature(detail);
  // Retention may have pruned older events; the order row still holds what they added up to.
  const pruned = order.event_count - detail.history.length;
  const heading = `${detail.history.length} events, oldest first${pruned > 0 ? ` (${pruned} older ${pruned === 1 ? "event" : "events"} pruned)` : ""}`;
  target.replaceChildren(el("h3", {}, `Order #${order.order_id}`), facts, el("h3", {}, heading), timeline);
}

function timelineItem(event) {
  const raw = el("details", {}, el("summary", { className: "small" }, "Raw body"));
  raw.addEventListener("toggle", async () => {
    if (!raw.open || raw.dataset.loaded) return;
    raw.dataset.loaded = "yes";
    const reply = await request(`/admin/api/events/${event.id}`).catch((error) => error);
    if (reply?.ok) {
      raw.append(el("pre", { className: "raw", tabindex: 0 }, reply.body.raw_body_encoding === "utf8" ? prettyIfJSON(reply.body.raw_body) : reply.body.raw_body));
    } else {
      raw.append(failureNotice(describeFailure(reply, "/admin")));
    }
  });
  return el("li", { className: event.event },
    el("span", { className: "event" }, event.event), " ", confirmationBadge(event.confirmation),
    el("time", { className: "when", datetime: event.received_at }, `received ${localTime(event.received_at)} · event ${event.id}`),
    raw);
}

function prettyIfJSON(text) {
  try { return JSON.stringify(JSON.parse(text), null, 2); } catch { return text; }
}

function renderQuarantine() {
  const items = data.quarantine;
  $("quarantine-count").textContent = items.length === 0 ? "none" : `${items.length} kept`;
  // A kept delivery never changes, so its id says all; one being read or copied stays put.
  if (showsAlready($("quarantine"), items.map((item) => item.id).join(","))) return;
  if (items.length === 0) {
    $("quarantine").replaceChildren(el("li", { className: "muted" }, "Nothing quarantined: every delivery could be read."));
    return;
  }
  $("quarantine").replaceChildren(...items.map((item) => el("li", { "data-quarantine-id": item.id },
    el("p", { className: "reason" }, item.reason),
    el("p", { className: "meta" }, `Received ${localTime(item.received_at)}${item.source ? ` from ${SOURCE_NAMES[item.source] || item.source}` : ""} · ${item.raw_body_encoding === "utf8" ? "UTF-8 text" : "binary, shown as base64"} · delivery ${item.id}`),
    el("pre", { className: "raw", tabindex: 0, "aria-label": `Raw bytes of delivery ${item.id}` }, item.raw_body || "(empty body)"))));
}

function renderForum() {
  const { events, failure } = data.forum;
  const list = $("forum-events");
  if (failure) {
    const box = $("forum-error");
    if (!box.firstChild) box.replaceChildren(failureNotice(describeFailure(failure, "/admin")));
    // Keep what was shown before; with nothing shown yet, the notice is enough.
    if (!list.dataset.signature) list.replaceChildren();
    return;
  }
  $("forum-error").replaceChildren();
  if (showsAlready(list, forumSignature(events))) return;
  renderForumActivity(list, events, localTime);
}

// ---- live refresh --------------------------------------------------------------------------

function startLive() {
  stopLive();
  if (!$("live").checked) return;
  timer = setInterval(() => {
    if (!document.hidden) refresh();
  }, REFRESH_SECONDS * 1000);
}

function stopLive() {
  if (timer !== null) clearInterval(timer);
  timer = null;
}

document.addEventListener("visibilitychange", () => {
  if (document.hidden) {
    stopLive();
  } else if ($("live").checked && !$("dashboard").hidden) {
    refresh();
    startLive();
  }
});
$("live").addEventListener("change", () => {
  if ($("live").checked) {
    refresh();
    startLive();
  } else {
    stopLive();
    $("updated").textContent = `Updated ${data.loadedAt?.toLocaleTimeString() ?? "–"} · live refresh paused`;
  }
});
$("refresh").addEventListener("click", () => refresh({ announce: true }));
$("filter-state").addEventListener("change", () => {
  firstPage();
  reloadOrders();
});
let searchTimer = null;
$("filter-search").addEventListener("input", () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => {
    firstPage();
    reloadOrders();
  }, 200);
});
$("filters").addEventListener("submit", async (event) => {
  event.preventDefault();
  clearTimeout(searchTimer);
  firstPage();
  await reloadOrders();
  if (data.orders.length === 1) showOrder(data.orders[0].order_id);
});
$("orders-older").addEventListener("click", () => {
  if (!data.nextCursor) return;
  paging.previous.push(paging.cursor);
  paging.cursor = data.nextCursor;
  reloadOrders();
});
$("orders-newer").addEventListener("click", () => {
  if (paging.previous.length === 0) return;
  paging.cursor = paging.previous.pop();
  reloadOrders();
});
$("chart-basis").addEventListener("change", renderChart);
let resizeTimer = null;
window.addEventListener("resize", () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => { if (data.loadedAt) renderChart(); }, 150);
});
window.addEventListener("thingbridge:webhooks-sent", () => refresh({ announce: true }));

// ---- start ---------------------------------------------------------------------------------

/** The `/auth/session` body of a signed-in visitor (for the gate's advice), else null. */
let signedIn = null;

async function start() {
  mountDevBanner($("dev-banner"));
  const status = await sessionStatus();
  if (status.signed_in) {
    signedIn = status;
    const forum = fillHeader(status);
    if (forum) {
      $("forum-open").href = forum;
      $("forum-open").hidden = false;
    }
  }
  // Without a session, say so at once rather than asking the admin API for a 401.
  if (!status.signed_in) {
    showGate(401);
    return;
  }
  $("dashboard").hidden = false;
  await refresh({ announce: true });
  if (!$("dashboard").hidden) startLive();
}

start().catch((error) => {
  $("dashboard").hidden = false;
  $("dashboard-error").replaceChildren(failureNotice(describeFailure(error)));
});
