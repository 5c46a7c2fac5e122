// The dashboard's Relay page at /admin/relay/: the app's own services that ThingBridge relays
// events to (their health, adding one, removing, rotating its secret, replaying), and the recent
// deliveries with their attempts and a "Send again" button. A new secret is shown once, in the
// page only: never in a URL, never in storage.
import { describeFailure, el, failureNotice, request, sessionStatus } from "./api.js";
import { fillHeader, localTime, showGate, showsAlready, timeAgo } from "./admin-shell.js";
import { mountDevBanner } from "./dev-banner.js";

const REFRESH_SECONDS = 5;
const PAGE_SIZE = 50;
const STATE_LABELS = { pending: "Pending", delivered: "Delivered", failed: "Failed" };
// The dashboard's badge colours: delivered green, pending amber, failed red.
const STATE_BADGES = { pending: "refund_requested", delivered: "created", failed: "refunded" };
const $ = (id) => document.getElementById(id);

const data = { endpoints: [], deliveries: [], nextCursor: null, loadedAt: null };
/** Deliveries whose attempt history is open (kept open across refreshes). */
const expanded = new Set();
let deliveryLimit = PAGE_SIZE;
let signedIn = null;
let timer = null;
let loading = false;

// ---- loading -------------------------------------------------------------------------------

async function loadAll() {
  const query = new URLSearchParams({ limit: String(deliveryLimit) });
  if ($("filter-state").value) query.set("state", $("filter-state").value);
  if ($("filter-endpoint").value) query.set("endpoint", $("filter-endpoint").value);
  const [endpoints, deliveries] = await Promise.all([
    request("/admin/api/relay/endpoints"),
    request(`/admin/api/relay/deliveries?${query}`),
  ]);
  if (!endpoints.ok) return { failure: endpoints };
  if (!deliveries.ok) return { failure: deliveries };
  return { endpoints: endpoints.body.endpoints, deliveries: deliveries.body.deliveries, nextCursor: deliveries.body.next_cursor ?? null };
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
    Object.assign(data, result, { loadedAt: new Date() });
    $("relay-error").replaceChildren();
    render();
    if (announce) {
      $("live-status").textContent = `${data.endpoints.length} ${plural(data.endpoints.length, "endpoint")}, ${data.deliveries.length} recent ${plural(data.deliveries.length, "delivery", "deliveries")}.`;
    }
  } catch (error) {
    $("relay-error").replaceChildren(failureNotice(describeFailure(error)));
  } finally {
    loading = false;
    $("refresh").disabled = false;
  }
}

function handleFailure(reply) {
  if (reply.status === 401 || reply.status === 403) {
    stopLive();
    showGate({ status: reply.status, message: reply.body?.message, signedIn, subject: "the relay", returnTo: "/admin/relay/" });
    return;
  }
  $("relay-error").replaceChildren(failureNotice(describeFailure(reply, "/admin/relay/")));
}

/** What an admin API action answered, as a sentence (its own message when it has one). */
function actionFailure(reply) {
  if (reply instanceof Error) return reply.message;
  return reply.body?.message || `ThingBridge answered ${reply.status}.`;
}

/** `answered 410 Gone` → `answered 410 Gone.` */
function sentence(text) {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function plural(count, one, many = `${one}s`) {
  return count === 1 ? one : many;
}

// ---- rendering: endpoints ------------------------------------------------------------------

function render() {
  renderEndpoints();
  renderEndpointFilter();
  renderDeliveries();
  $("updated").textContent = `Updated ${data.loadedAt.toLocaleTimeString()}${$("live").checked ? ` · refreshing every ${REFRESH_SECONDS} s` : ""}`;
}

function endpointSignature(endpoint) {
  return JSON.stringify(endpoint);
}

function renderEndpoints() {
  const list = $("endpoints");
  const count = data.endpoints.length;
  $("endpoints-count").textContent = count === 0 ? "none yet" : `${count} ${plural(count, "endpoint")}`;
  if (count === 0) {
    list.replaceChildren(el("li", { className: "relay-empty", id: "endpoints-empty" },
      el("p", { className: "relay-empty-title" }, "No relay endpoints yet."),
      el("p", { className: "muted" }, "Add your service's URL below and ThingBridge sends it every new event from now on, signed with a secret shown once. ",
        "Or set ", el("code", {}, "THINGBRIDGE_RELAY_ENDPOINTS"), " (comma-separated URLs) with ", el("code", {}, "THINGBRIDGE_RELAY_SECRET"),
        " when ThingBridge starts.")));
    delete list.dataset.signature;
    return;
  }
  // Rebuild only what changed, so a half-typed replay time or an open confirmation survives the live refresh.
  const existing = new Map([...list.querySelectorAll("li.relay-endpoint")].map((item) => [item.dataset.endpointId, item]));
  const items = data.endpoints.map((endpoint) => {
    const old = existing.get(endpoint.id);
    // Unchanged, or a removal waiting for its answer: keep the item as it is.
    if (old && (old.dataset.signature === endpointSignature(endpoint) || old.querySelector(".endpoint-confirm"))) return old;
    const item = endpointItem(endpoint);
    if (old) {
      // Keep what the person was doing in this item.
      const oldSince = old.querySelector("input.replay-since");
      if (oldSince) item.querySelector("input.replay-since").value = oldSince.value;
      const oldStatus = old.querySelector(".endpoint-status");
      if (oldStatus) item.querySelector(".endpoint-status").replaceWith(oldStatus);
    }
    return item;
  });
  list.replaceChildren(...items);
}

function endpointItem(endpoint) {
  const health = endpoint.health || { pending: 0, delivered: 0, failed: 0 };
  const configured = endpoint.origin === "configuration";
  const state = endpoint.enabled
    ? el("span", { className: "badge created" }, "Enabled")
    : el("span", { className: "badge refunded" }, "Disabled");
  const types = (endpoint.types || []).filter((type) => type !== "*");
  const item = el("li", { className: `relay-endpoint${endpoint.enabled ? "" : " disabled"}`, "data-endpoint-id": endpoint.id },
    el("div", { className: "endpoint-head" },
      el("code", { className: "endpoint-url" }, endpoint.url),
      el("span", { className: "endpoint-badges" }, state,
        el("span", { className: `provider-tag${configured ? "" : " thingiverse"}` }, configured ? "From THINGBRIDGE_RELAY_ENDPOINTS" : "Added here"))),
    el("p", { className: "endpoint-meta" },
      types.length === 0 ? el("span", {}, "Every event") : el("span", { className: "endpoint-types" }, "Types: ", ...types.map((type) => el("code", {}, type))),
      el("span", {}, `Id ${endpoint.id}`),
      el("span", {}, `Since ${localTime(endpoint.created_at)}`)),
    endpoint.enabled ? null : el("div", { className: "notice warn endpoint-disabled" },
      el("strong", {}, `${endpoint.disabled_at ? `Disabled ${timeAgo(endpoint.disabled_at)}` : "Disabled"}: ${sentence(endpoint.disabled_reason || "no reason was recorded")}`),
      el("p", {}, "Nothing is sent to it now. Sending one of its deliveries again, or replaying events, enables it.")),
    healthList(health),
    health.last_error ? el("p", { className: "endpoint-error" }, el("span", { className: "label" }, "Last error: "), health.last_error) : null,
    endpoint.previous_secret_valid_until
      ? el("p", { className: "muted small" }, `The old secret signs beside the new one until ${localTime(endpoint.previous_secret_valid_until)}.`)
      : null,
    endpointActions(endpoint, configured),
    el("p", { className: "endpoint-status small", role: "status", "aria-live": "polite" }));
  item.dataset.signature = endpointSignature(endpoint);
  return item;
}

function healthList(health) {
  const stat = (name, label, value, hint) => el("div", { className: `stat ${name}`, "data-stat": name },
    el("dt", {}, label), el("dd", { title: hint || null }, value));
  return el("dl", { className: "endpoint-health" },
    stat("pending", "Pending", String(health.pending)),
    stat("delivered", "Delivered", String(health.delivered)),
    stat("failed", "Failed", String(health.failed)),
    stat("oldest-pending", "Oldest pending", health.oldest_pending_since ? timeAgo(health.oldest_pending_since) : "–", health.oldest_pending_since ? localTime(health.oldest_pending_since) : null),
    stat("last-delivered", "Last delivered", health.last_delivered_at ? timeAgo(health.last_delivered_at) : "never", health.last_delivered_at ? localTime(health.last_delivered_at) : null));
}

function endpointActions(endpoint, configured) {
  const since = el("input", { type: "datetime-local", className: "replay-since", id: `replay-since-${endpoint.id}`, step: 1, value: localInputValue(new Date(Date.now() - 3600 * 1000)) });
  const replay = el("button", { type: "button", className: "small secondary", "data-action": "replay" }, "Replay");
  replay.addEventListener("click", () => replayEndpoint(endpoint, since, replay));
  const replayGroup = el("div", { className: "replay-group" },
    el("label", { for: since.id }, "Replay events since"),
    el("div", { className: "replay-row" }, since, replay));
  const actions = el("div", { className: "endpoint-actions" }, replayGroup);
  if (configured) {
    actions.append(el("p", { className: "muted small configured-hint" },
      "Its URL and secret come from ", el("code", {}, "THINGBRIDGE_RELAY_ENDPOINTS"), " and ", el("code", {}, "THINGBRIDGE_RELAY_SECRET"), ": change them there."));
    return actions;
  }
  const rotate = el("button", { type: "button", className: "small secondary", "data-action": "rotate" }, "Rotate secret");
  rotate.addEventListener("click", () => rotateSecret(endpoint, rotate));
  const remove = el("button", { type: "button", className: "small secondary danger", "data-action": "remove" }, "Remove");
  remove.addEventListener("click", () => confirmRemove(endpoint, buttons));
  const buttons = el("div", { className: "endpoint-buttons" }, rotate, remove);
  actions.append(buttons);
  return actions;
}

/** A `Date` as a `datetime-local` input's value, in local time. */
function localInputValue(date) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

function statusOf(endpoint) {
  return $("endpoints").querySelector(`li[data-endpoint-id="${CSS.escape(endpoint.id)}"] .endpoint-status`);
}

function say(target, text, kind = "") {
  if (!target) return;
  target.textContent = text;
  target.className = `${target.className.split(" ").filter((name) => !["ok", "error"].includes(name)).join(" ")} ${kind}`.trim();
}

async function replayEndpoint(endpoint, input, button) {
  const since = new Date(input.value);
  if (!input.value || Number.isNaN(since.getTime())) {
    input.setAttribute("aria-invalid", "true");
    say(statusOf(endpoint), "Choose the date and time to replay from.", "error");
    return;
  }
  input.removeAttribute("aria-invalid");
  button.disabled = true;
  try {
    const reply = await request(`/admin/api/relay/endpoints/${encodeURIComponent(endpoint.id)}/replay?since=${encodeURIComponent(since.toISOString())}`, { method: "POST" });
    if (!reply.ok) return handleActionFailure(reply, statusOf(endpoint));
    const queued = reply.body.queued;
    say(statusOf(endpoint), queued === 0
      ? `No events since ${localTime(since.toISOString())} match this endpoint.`
      : `${queued} ${plural(queued, "event")} since ${localTime(since.toISOString())} queued to be sent again, with their original webhook-id.`, "ok");
    await refresh();
  } catch (error) {
    say(statusOf(endpoint), actionFailure(error), "error");
  } finally {
    button.disabled = false;
  }
}

async function rotateSecret(endpoint, button) {
  button.disabled = true;
  try {
    const reply = await request(`/admin/api/relay/endpoints/${encodeURIComponent(endpoint.id)}/rotate-secret`, { method: "POST" });
    if (!reply.ok) return handleActionFailure(reply, statusOf(endpoint));
    showSecret(reply.body, "rotated");
    await refresh();
  } catch (error) {
    say(statusOf(endpoint), actionFailure(error), "error");
  } finally {
    button.disabled = false;
  }
}

/** Replaces Remove and Rotate with a question, so one click cannot remove an endpoint. */
function confirmRemove(endpoint, buttons) {
  const keep = el("button", { type: "button", className: "small secondary", "data-action": "keep" }, "Keep it");
  const sure = el("button", { type: "button", className: "small danger-solid", "data-action": "confirm-remove" }, "Remove endpoint");
  const question = el("div", { className: "endpoint-confirm", role: "group", "aria-label": "Remove this endpoint?" },
    el("p", { className: "small" }, "Remove this endpoint? Nothing more is sent to it, and its deliveries and their attempts are deleted with it."),
    el("div", { className: "endpoint-buttons" }, sure, keep));
  const original = [...buttons.childNodes];
  keep.addEventListener("click", () => {
    buttons.replaceChildren(...original);
    original[original.length - 1].focus();
  });
  sure.addEventListener("click", () => removeEndpoint(endpoint, sure));
  buttons.replaceChildren(question);
  keep.focus();
}

async function removeEndpoint(endpoint, button) {
  button.disabled = true;
  try {
    const reply = await request(`/admin/api/relay/endpoints/${encodeURIComponent(endpoint.id)}`, { method: "DELETE" });
    if (!reply.ok) {
      button.disabled = false;
      return handleActionFailure(reply, statusOf(endpoint));
    }
    $("live-status").textContent = `Endpoint ${endpoint.url} removed.`;
    if ($("filter-endpoint").value === endpoint.id) $("filter-endpoint").value = "";
    await refresh();
  } catch (error) {
    button.disabled = false;
    say(statusOf(endpoint), actionFailure(error), "error");
  }
}

function handleActionFailure(reply, target) {
  if (reply.status === 401 || reply.status === 403) return handleFailure(reply);
  say(target, actionFailure(reply), "error");
}

// ---- the secret, shown once ----------------------------------------------------------------

/** Shows a new secret (`{endpoint, secret, note}`) until the person hides it; nothing keeps it. */
function showSecret(answer, why) {
  const box = $("secret-box");
  $("secret-title").textContent = why === "added" ? "Endpoint added: copy its signing secret now" : "Secret rotated: copy the new one now";
  $("secret-for").replaceChildren("For ", el("code", {}, answer.endpoint.url), ` (${answer.endpoint.id}).`);
  $("secret-value").textContent = answer.secret;
  // A new endpoint's note says what the box already says; a rotation's says until when the old secret signs.
  $("secret-note").textContent = why === "rotated" ? answer.note || "" : "";
  $("secret-copied").textContent = "";
  box.hidden = false;
  box.scrollIntoView({ behavior: "smooth", block: "start" });
  box.focus({ preventScroll: true });
}

function hideSecret() {
  $("secret-value").textContent = "";
  $("secret-box").hidden = true;
  $("secret-copied").textContent = "";
}

$("secret-copy").addEventListener("click", async () => {
  const field = $("secret-value");
  try {
    await navigator.clipboard.writeText(field.textContent);
    $("secret-copied").textContent = "Copied to the clipboard.";
  } catch {
    selectSecret();
    $("secret-copied").textContent = "Selected: copy it with Ctrl+C (⌘C on a Mac).";
  }
});

function selectSecret() {
  const range = document.createRange();
  range.selectNodeContents($("secret-value"));
  window.getSelection().removeAllRanges();
  window.getSelection().addRange(range);
}
$("secret-value").addEventListener("focus", selectSecret);
$("secret-done").addEventListener("click", () => {
  hideSecret();
  $("endpoints-title").scrollIntoView({ behavior: "smooth", block: "start" });
});

// ---- adding an endpoint --------------------------------------------------------------------

$("add-endpoint").addEventListener("submit", async (event) => {
  event.preventDefault();
  const url = $("add-url").value.trim();
  const types = $("add-types").value.split(",").map((type) => type.trim()).filter(Boolean);
  const problem = !url ? "Enter your service's URL." : !/^https?:\/\//i.test(url) ? "The URL starts with http:// or https://." : null;
  if (problem) return addFailed(problem, "add-url");
  $("add-submit").disabled = true;
  try {
    const reply = await request("/admin/api/relay/endpoints", { method: "POST", body: types.length ? { url, types } : { url } });
    if (!reply.ok) {
      if (reply.status === 401 || reply.status === 403) return handleFailure(reply);
      return addFailed(actionFailure(reply), reply.body?.error === "invalid_types" ? "add-types" : "add-url");
    }
    $("add-endpoint").reset();
    for (const id of ["add-url", "add-types"]) $(id).removeAttribute("aria-invalid");
    $("add-error").replaceChildren();
    showSecret(reply.body, "added");
    await refresh();
  } catch (error) {
    addFailed(actionFailure(error), null);
  } finally {
    $("add-submit").disabled = false;
  }
});

function addFailed(message, fieldID) {
  for (const id of ["add-url", "add-types"]) $(id).removeAttribute("aria-invalid");
  if (fieldID) $(fieldID).setAttribute("aria-invalid", "true");
  $("add-error").replaceChildren(el("div", { className: "notice error", role: "alert" }, el("strong", {}, "The endpoint was not added"), el("p", {}, message)));
  if (fieldID) $(fieldID).focus();
}

// ---- rendering: deliveries -----------------------------------------------------------------

function renderEndpointFilter() {
  const select = $("filter-endpoint");
  const chosen = select.value;
  if (showsAlready(select, data.endpoints.map((endpoint) => `${endpoint.id} ${endpoint.url}`).join("\n"))) return;
  select.replaceChildren(el("option", { value: "" }, "All endpoints"),
    ...data.endpoints.map((endpoint) => el("option", { value: endpoint.id }, shortURL(endpoint.url))));
  select.value = data.endpoints.some((endpoint) => endpoint.id === chosen) ? chosen : "";
}

/** `https://shop.example.com/hooks/x?token=…` → `shop.example.com/hooks/x` (the query may hold a credential). */
function shortURL(url) {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname === "/" ? "" : parsed.pathname}`;
  } catch {
    return url;
  }
}

function deliverySignature() {
  return JSON.stringify([data.deliveries, [...expanded].sort(), data.endpoints.map((endpoint) => endpoint.url), data.nextCursor]);
}

function renderDeliveries() {
  const body = $("deliveries-body");
  const deliveries = data.deliveries;
  const filtered = $("filter-state").value || $("filter-endpoint").value;
  $("more").hidden = !data.nextCursor;
  $("deliveries-count").textContent = deliveries.length === 0 ? "" : `latest ${deliveries.length}`;
  if (showsAlready(body, deliverySignature())) return;
  if (deliveries.length === 0) {
    const message = filtered ? "No deliveries match these filters."
      : data.endpoints.length === 0 ? "No deliveries yet. Add an endpoint above; every event that arrives after that is sent to it and listed here."
        : "No deliveries yet. Each new event is sent to every endpoint whose types match, and listed here.";
    body.replaceChildren(el("tr", { className: "empty-row", id: "deliveries-empty" }, el("td", { colspan: 7 }, message)));
    return;
  }
  const urls = new Map(data.endpoints.map((endpoint) => [endpoint.id, endpoint.url]));
  const rows = [];
  for (const delivery of deliveries) {
    rows.push(deliveryRow(delivery, urls));
    if (expanded.has(delivery.id)) rows.push(historyRow(delivery));
  }
  body.replaceChildren(...rows);
  for (const delivery of deliveries) {
    if (expanded.has(delivery.id)) loadHistory(delivery.id);
  }
}

function stateBadge(state) {
  const badge = el("span", { className: `badge ${STATE_BADGES[state] || "neutral"}` }, STATE_LABELS[state] || state);
  badge.dataset.state = state;
  return badge;
}

function answerOf(delivery) {
  if (delivery.last_status === undefined || delivery.last_status === null) {
    if (!delivery.last_attempt_at) return el("span", { className: "muted" }, "not tried yet");
    return el("span", { className: "delivery-error" }, delivery.last_error || "no answer");
  }
  const status = delivery.last_status;
  const kind = status >= 200 && status < 300 ? "ok" : status >= 500 ? "server" : "client";
  return el("span", { className: "delivery-answer" },
    el("span", { className: `status-pill ${kind}` }, String(status)),
    delivery.last_error && kind !== "ok" ? el("span", { className: "delivery-error" }, delivery.last_error) : null);
}

function deliveryRow(delivery, urls) {
  const id = delivery.id;
  const open = expanded.has(id);
  const toggle = el("button", {
    type: "button", className: "small secondary history-toggle", "aria-expanded": open ? "true" : "false",
    "aria-controls": `history-${id}`, "data-action": "history",
  }, open ? "Hide history" : "History");
  toggle.addEventListener("click", () => {
    if (expanded.has(id)) expanded.delete(id);
    else expanded.add(id);
    renderDeliveries();
    $(`delivery-${id}`)?.querySelector(".history-toggle")?.focus();
  });
  const again = el("button", { type: "button", className: "small send-again", "data-action": "send-again", "aria-label": `Send delivery ${id} again` }, "Send again");
  again.addEventListener("click", () => sendAgain(delivery, again));
  const url = urls.get(delivery.endpoint_id);
  const next = delivery.state === "pending" && delivery.next_attempt_at ? `next ${timeAgoOrIn(delivery.next_attempt_at)}` : null;
  const row = el("tr", { id: `delivery-${id}`, "data-delivery-id": id, "data-state": delivery.state, "data-webhook-id": delivery.webhook_id },
    el("td", { "data-label": "Delivery" }, el("span", { className: "delivery-id" }, `#${id}`), el("span", { className: "muted small delivery-event" }, `event ${delivery.event_id}`)),
    el("td", { "data-label": "Type" }, el("code", { className: "delivery-type" }, ...breakable(delivery.type, "."))),
    el("td", { "data-label": "Endpoint", className: "delivery-endpoint", title: url || delivery.endpoint_id }, ...breakable(url ? shortURL(url) : delivery.endpoint_id, "/")),
    el("td", { "data-label": "State" }, stateBadge(delivery.state), next ? el("span", { className: "muted small delivery-next" }, next) : null),
    el("td", { "data-label": "Attempts", className: "delivery-when" },
      el("span", { className: "delivery-attempts" }, attemptsText(delivery)),
      delivery.last_attempt_at
        ? el("span", { className: "muted" }, "last ", el("time", { datetime: delivery.last_attempt_at, title: localTime(delivery.last_attempt_at) }, timeAgo(delivery.last_attempt_at)))
        : null),
    el("td", { "data-label": "Last answer", className: "delivery-last" }, answerOf(delivery)),
    el("td", { className: "delivery-actions" }, toggle, again));
  if (open) row.classList.add("expanded");
  return row;
}

/** Text with a line-break opportunity after each `separator`, so narrow cells wrap at a dot or slash. */
function breakable(text, separator) {
  return text.split(separator).flatMap((part, index, parts) => index < parts.length - 1 ? [part + separator, el("wbr")] : [part]);
}

function attemptsText(delivery) {
  // `attempts` restarts when a delivery is sent again; `total_attempts` counts them all.
  if (delivery.total_attempts === delivery.attempts) return String(delivery.total_attempts);
  return `${delivery.total_attempts} (${delivery.attempts} since sent again)`;
}

function timeAgoOrIn(iso) {
  const seconds = Math.round((new Date(iso).getTime() - Date.now()) / 1000);
  if (Number.isNaN(seconds) || seconds <= 5) return "now";
  if (seconds < 60) return `in ${seconds} s`;
  if (seconds < 3600) return `in ${Math.round(seconds / 60)} min`;
  return `in ${Math.round(seconds / 3600)} h`;
}

function historyRow(delivery) {
  return el("tr", { className: "history-row", id: `history-${delivery.id}` },
    el("td", { colspan: 7 }, el("div", { className: "history", "data-history-for": delivery.id },
      el("p", { className: "muted small" }, "Loading attempts…"))));
}

/** Fills a delivery's open history row from `GET /admin/api/relay/deliveries/{id}`. */
async function loadHistory(id) {
  let reply;
  try {
    reply = await request(`/admin/api/relay/deliveries/${encodeURIComponent(id)}`);
  } catch (error) {
    reply = error;
  }
  const target = $("deliveries-body").querySelector(`.history[data-history-for="${id}"]`);
  if (!target) return;
  if (!(reply?.ok)) {
    target.replaceChildren(failureNotice(describeFailure(reply, "/admin/relay/")));
    return;
  }
  const delivery = reply.body;
  const facts = el("dl", { className: "facts history-facts" },
    el("dt", {}, "webhook-id"), el("dd", {}, el("code", {}, delivery.webhook_id)),
    el("dt", {}, "Queued"), el("dd", {}, localTime(delivery.created_at)),
    delivery.delivered_at ? [el("dt", {}, "Delivered"), el("dd", {}, localTime(delivery.delivered_at))] : null,
    delivery.state === "pending" && delivery.next_attempt_at ? [el("dt", {}, "Next attempt"), el("dd", {}, localTime(delivery.next_attempt_at))] : null);
  const history = delivery.history || [];
  const attempts = history.length === 0
    ? el("p", { className: "muted small" }, "No attempts yet: it is queued.")
    : el("ol", { className: "attempts", "aria-label": `Attempts of delivery ${id}, oldest first` }, ...history.map((attempt, index) => {
      const status = attempt.status;
      const kind = status === undefined || status === null ? "server" : status >= 200 && status < 300 ? "ok" : status >= 500 ? "server" : "client";
      return el("li", { className: `attempt ${kind}`, "data-status": status ?? "none" },
        el("span", { className: "attempt-number" }, `${index + 1}.`),
        el("span", { className: `status-pill ${kind}` }, status === undefined || status === null ? "no answer" : String(status)),
        el("time", { datetime: attempt.at }, localTime(attempt.at)),
        el("span", { className: "muted" }, `${attempt.duration_ms} ms`),
        attempt.error ? el("span", { className: "attempt-error" }, attempt.error) : null);
    }));
  target.replaceChildren(facts, el("h3", { className: "small" }, `${history.length} ${plural(history.length, "attempt")}, oldest first`), attempts);
}

async function sendAgain(delivery, button) {
  button.disabled = true;
  const status = $("delivery-status");
  try {
    const reply = await request(`/admin/api/relay/deliveries/${encodeURIComponent(delivery.id)}/retry`, { method: "POST" });
    if (!reply.ok) {
      if (reply.status === 401 || reply.status === 403) return handleFailure(reply);
      say(status, `Delivery #${delivery.id} was not sent again: ${actionFailure(reply)}`, "error");
      return;
    }
    say(status, `Delivery #${delivery.id} is queued to be sent again now, with the same webhook-id.`, "ok");
    const index = data.deliveries.findIndex((item) => item.id === delivery.id);
    if (index >= 0) data.deliveries[index] = reply.body;
    renderDeliveries();
    // The relay sends it at once; look again shortly to show how it went.
    setTimeout(() => refresh(), 800);
    setTimeout(() => refresh(), 2500);
  } catch (error) {
    say(status, actionFailure(error), "error");
  } finally {
    button.disabled = false;
  }
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
for (const id of ["filter-state", "filter-endpoint"]) {
  $(id).addEventListener("change", () => {
    deliveryLimit = PAGE_SIZE;
    refresh({ announce: true });
  });
}
$("delivery-filters").addEventListener("submit", (event) => event.preventDefault());
$("more").addEventListener("click", () => {
  deliveryLimit = Math.min(deliveryLimit + PAGE_SIZE, 500);
  refresh({ announce: true });
});
window.addEventListener("thingbridge:webhooks-sent", () => setTimeout(() => refresh({ announce: true }), 500));

// ---- start ---------------------------------------------------------------------------------

async function start() {
  mountDevBanner($("dev-banner"));
  const status = await sessionStatus();
  if (!status.signed_in) {
    showGate({ status: 401, signedIn: null, subject: "the relay", returnTo: "/admin/relay/" });
    return;
  }
  signedIn = status;
  fillHeader(status);
  $("dashboard").hidden = false;
  await refresh({ announce: true });
  if (!$("dashboard").hidden) startLive();
}

start().catch((error) => {
  $("dashboard").hidden = false;
  $("relay-error").replaceChildren(failureNotice(describeFailure(error)));
});
