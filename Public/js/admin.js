// The orders dashboard at /admin: totals, a chart per day, the orders table with filters, an
// order's event timeline, the feedback forum's latest activity, quarantined deliveries, live
// refresh and the JSON-lines export.
import { describeFailure, el, failureNotice, request, sessionStatus } from "./api.js";
import { fillHeader, localTime, showGate as showAdminGate } from "./admin-shell.js";
import { drawChart, dayRange } from "./chart.js";
import { mountDevBanner } from "./dev-banner.js";
import { forumSignature, loadForumActivity, renderForumActivity } from "./forum-activity.js";

const REFRESH_SECONDS = 5;
const MAX_ORDER_PAGES = 10;
const STATE_LABELS = { created: "Created", refund_requested: "Refund requested", refunded: "Refunded" };
const CONFIRMATION_LABELS = { unconfirmed: "Not checked", pending: "Pending", confirmed: "Confirmed", mismatch: "Mismatch", not_found: "Not found" };
const SOURCE_NAMES = { thingiverse: "Thingiverse", userecho: "UserEcho" };
const $ = (id) => document.getElementById(id);

const data = { orders: [], confirmations: new Map(), quarantine: [], forum: { events: [], failure: null }, loadedAt: null };
let selectedOrder = null;
let timer = null;
let loading = false;

// ---- money and time ------------------------------------------------------------------------

/** `"14.53"` → 1453 cents, exactly (money is never a float here). */
export function cents(amount) {
  const match = /^\s*(-?)(\d*)(?:\.(\d{0,2})\d*)?\s*$/.exec(String(amount ?? ""));
  if (!match || (match[2] === "" && !match[3])) return 0;
  const value = Number(match[2] || 0) * 100 + Number((match[3] || "").padEnd(2, "0"));
  return match[1] ? -value : value;
}

function money(totalCents) {
  const sign = totalCents < 0 ? "-" : "";
  const absolute = Math.abs(totalCents);
  const dollars = Math.floor(absolute / 100).toLocaleString("en-US");
  return `${sign}$${dollars}.${String(absolute % 100).padStart(2, "0")}`;
}

/** Thingiverse's `2016-04-28 16:28:40` (or ISO) → `YYYY-MM-DD`, or null. */
function dayOf(text) {
  const match = /^(\d{4}-\d{2}-\d{2})/.exec(String(text || ""));
  return match ? match[1] : null;
}

function orderDate(text) {
  return text ? String(text).replace("T", " ").slice(0, 16) : "–";
}

// ---- loading -------------------------------------------------------------------------------

/**
 * Every order (following next_cursor), the latest confirmation per order, the quarantine, and
 * the forum's latest events (whose failure only the forum card shows).
 */
async function loadAll() {
  const orders = [];
  let cursor = null;
  for (let page = 0; page < MAX_ORDER_PAGES; page++) {
    const reply = await request(`/admin/api/orders?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    if (!reply.ok) return { failure: reply };
    orders.push(...reply.body.orders);
    cursor = reply.body.next_cursor;
    if (!cursor) break;
  }
  // Thingiverse's events only: the forum's hooks share the log, carry no order and must not
  // push order events out of these 500.
  const [events, quarantine, forum] = await Promise.all([
    request("/admin/api/events?source=thingiverse&limit=500"),
    request("/admin/api/quarantine?limit=50"),
    loadForumActivity().catch((error) => ({ events: [], failure: error })),
  ]);
  if (!events.ok) return { failure: events };
  if (!quarantine.ok) return { failure: quarantine };
  // Events come newest first, so the first one seen for an order is its latest.
  const confirmations = new Map();
  for (const event of events.body.events) {
    if (event.order_id !== null && !confirmations.has(event.order_id)) confirmations.set(event.order_id, event.confirmation);
  }
  return { orders, confirmations, quarantine: quarantine.body.quarantine, forum };
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
    const before = data.orders.length;
    const hadData = data.loadedAt !== null;
    Object.assign(data, result, { loadedAt: new Date() });
    $("dashboard-error").replaceChildren();
    render();
    if (selectedOrder !== null) await showOrder(selectedOrder, { quiet: true });
    const added = data.orders.length - before;
    if (announce || (hadData && added > 0)) {
      $("live-status").textContent = added > 0 && hadData ? `${added} new ${added === 1 ? "order" : "orders"}.` : `${data.orders.length} orders.`;
    }
  } catch (error) {
    $("dashboard-error").replaceChildren(failureNotice(describeFailure(error)));
  } finally {
    loading = false;
    $("refresh").disabled = false;
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
  const orders = data.orders;
  const refunded = orders.filter((order) => order.state === "refunded");
  const requested = orders.filter((order) => order.state === "refund_requested");
  const revenue = orders.filter((order) => order.state !== "refunded").reduce((sum, order) => sum + cents(order.amount), 0);
  const refundedAmount = refunded.reduce((sum, order) => sum + cents(order.amount), 0);
  $("total-orders").textContent = String(orders.length);
  $("total-orders-sub").textContent = `${orders.filter((order) => order.state === "created").length} active`;
  $("total-revenue").textContent = money(revenue);
  $("total-refunds").textContent = money(refundedAmount);
  $("total-refunds-sub").textContent = `${refunded.length} ${refunded.length === 1 ? "order" : "orders"}`;
  $("total-requested").textContent = String(requested.length);
}

function renderChart() {
  const byReceived = $("chart-basis").value === "received";
  const counts = new Map();
  const bump = (day, key) => {
    if (!day) return;
    const count = counts.get(day) || { orders: 0, refunds: 0 };
    count[key] += 1;
    counts.set(day, count);
  };
  for (const order of data.orders) {
    bump(byReceived ? dayOf(order.first_received_at) : dayOf(order.add_date) || dayOf(order.first_received_at), "orders");
    if (order.state === "refunded") {
      bump(byReceived ? dayOf(order.last_received_at) : dayOf(order.modified_date) || dayOf(order.last_received_at), "refunds");
    }
  }
  drawChart($("chart"), dayRange(counts));
}

function visibleOrders() {
  const state = $("filter-state").value;
  const search = $("filter-search").value.trim().replace(/^#/, "");
  return data.orders.filter((order) => (!state || order.state === state) && (!search || String(order.order_id).includes(search)));
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
  const orders = visibleOrders();
  const body = $("orders-body");
  if (orders.length === 0) {
    const message = data.orders.length === 0
      ? "No orders yet. They appear here as Thingiverse's webhooks arrive."
      : "No orders match these filters.";
    body.replaceChildren(el("tr", { className: "empty-row" }, el("td", { colspan: 8 }, message)));
  } else {
    body.replaceChildren(...orders.map(orderRow));
  }
  $("orders-count").textContent = orders.length === data.orders.length
    ? `${orders.length} ${orders.length === 1 ? "order" : "orders"}`
    : `${orders.length} of ${data.orders.length} orders`;
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
    el("td", { className: "num", "data-label": "Amount" }, order.amount !== null ? money(cents(order.amount)) : "–"),
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
    el("dt", {}, "Amount"), el("dd", {}, order.amount !== null ? `${money(cents(order.amount))}${order.fees ? ` (fees ${money(cents(order.fees))})` : ""}` : "–"),
    el("dt", {}, "Thing"), el("dd", {}, order.thing_id !== null ? `#${order.thing_id}` : "–"),
    el("dt", {}, "Ordered"), el("dd", {}, orderDate(order.add_date)),
    el("dt", {}, "Modified"), el("dd", {}, orderDate(order.modified_date)),
    el("dt", {}, "Creation seen"), el("dd", {}, order.creation_seen ? "yes" : "not yet (a later event came first)"));
  const timeline = el("ol", { className: "timeline", id: "timeline", "aria-label": `Events of order ${order.order_id}, oldest first` },
    ...detail.history.map(timelineItem));
  const target = $("detail-body");
  target.dataset.signature = signature(detail);
  target.replaceChildren(el("h3", {}, `Order #${order.order_id}`), facts, el("h3", {}, `${detail.history.length} events, oldest first`), timeline);
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
  const signature = forumSignature(events);
  if (list.dataset.signature === signature && list.firstChild) return; // unchanged: keep focus and links as they are
  list.dataset.signature = signature;
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
$("filter-state").addEventListener("change", renderOrders);
$("filter-search").addEventListener("input", renderOrders);
$("filters").addEventListener("submit", (event) => {
  event.preventDefault();
  const only = visibleOrders();
  if (only.length === 1) showOrder(only[0].order_id);
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
