// The development-mode banner: shown only when /dev/info answers (the built-in simulator runs),
// with the webhook URL and buttons that make the simulator send webhooks to it.
import { el, request, NetworkError } from "./api.js";

const SIMULATIONS = [
  { label: "Send an order", body: { event: "order_created" }, primary: true },
  { label: "Run lifecycle", body: { scenario: "lifecycle" }, hint: "created → refund requested → refunded" },
  { label: "Run shuffled", body: { scenario: "shuffled" }, hint: "the same three events, out of order" },
];

/**
 * Fills `container` with the banner when ThingBridge runs in development mode.
 * After each simulation, `window` receives a `thingbridge:webhooks-sent` event.
 * @param {HTMLElement} container an empty, hidden element
 * @param {{dashboardLink?: boolean}} options
 */
export async function mountDevBanner(container, { dashboardLink = false } = {}) {
  let info;
  try {
    // Outside development /dev/info does not exist (404) and the banner stays hidden.
    const reply = await request("/dev/info");
    if (!reply.ok || !reply.body?.development) return;
    info = reply.body;
  } catch (error) {
    if (error instanceof NetworkError) return;
    throw error;
  }

  const status = el("p", { className: "status", role: "status", "aria-live": "polite", id: "dev-status" });
  const buttons = SIMULATIONS.map((simulation) => {
    const button = el("button", {
      type: "button",
      className: simulation.primary ? "small" : "small secondary",
      title: simulation.hint,
      "data-simulate": simulation.body.scenario || simulation.body.event,
    }, simulation.label);
    button.addEventListener("click", () => simulate(simulation, buttons, status));
    return button;
  });
  const copy = el("button", { type: "button", className: "small secondary", id: "dev-copy" }, "Copy");
  copy.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(info.webhook_url);
      status.textContent = "Webhook URL copied.";
    } catch {
      status.textContent = "Select the URL and copy it by hand.";
    }
  });

  const inner = el("div", { className: "inner" },
    el("p", { className: "title" }, el("span", { className: "pill" }, "Development"),
      "Built-in simulators stand in for the providers, so no real account is used."),
    el("p", { className: "small" }, "Webhook URL: ", el("code", { id: "dev-webhook-url" }, info.webhook_url), " ", copy),
    el("div", { className: "actions" }, ...buttons,
      dashboardLink ? el("a", { href: "/admin", className: "small" }, "Open the dashboard →") : null),
    status);
  container.replaceChildren(inner);
  container.setAttribute("aria-label", "Development mode");
  container.hidden = false;
}

async function simulate(simulation, buttons, status) {
  for (const button of buttons) button.disabled = true;
  status.textContent = `Sending ${simulation.label.toLowerCase()}…`;
  try {
    const reply = await request("/dev/simulate-webhook", { method: "POST", body: simulation.body });
    if (!reply.ok) {
      status.textContent = reply.body?.message || `The simulator could not send the webhook (${reply.status}).`;
      return;
    }
    const deliveries = reply.body.deliveries.map((delivery) => `${delivery.event} → ${delivery.status}`).join(", ");
    status.textContent = `Order ${reply.body.order_id}: ${deliveries}.`;
    window.dispatchEvent(new CustomEvent("thingbridge:webhooks-sent", { detail: reply.body }));
  } catch (error) {
    status.textContent = error.message;
  } finally {
    for (const button of buttons) button.disabled = false;
  }
}
