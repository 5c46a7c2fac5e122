// The API console: pick a documented Thingiverse endpoint, fill its path parameters and query,
// send it through /api/ with the session, and read status, rate limit, headers and the JSON.
import { el, formatDuration, highlightJSON, parseLinks, request, sameOriginAPIPath } from "./api.js";
import { endpoints } from "./endpoints.js";

/** Parameters that are text; every other one is a number (as EndpointAllowList says). */
const TEXT_PARAMETERS = new Set(["username", "term", "category_slug", "tag"]);
const DEFAULTS = { username: "me", term: "vase", category_slug: "household", tag: "organizer" };
const SHOWN_HEADERS = ["content-type", "link", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", "retry-after", "etag", "cache-control"];
const $ = (id) => document.getElementById(id);

/** One `METHOD /path/{param}` line, parsed. */
function parseEndpoint(line) {
  const [method, path] = line.split(" ");
  const parameters = [...path.matchAll(/\{([a-z_]+)\}/g)].map((match) => match[1]);
  return { line, method, path, parameters, group: path.split("/")[1] };
}

export function mountConsole() {
  const form = $("console");
  const select = $("console-endpoint");
  const parsed = endpoints.map(parseEndpoint);
  const groups = new Map();
  for (const endpoint of parsed) {
    if (!groups.has(endpoint.group)) groups.set(endpoint.group, el("optgroup", { label: `/${endpoint.group}` }));
    groups.get(endpoint.group).append(el("option", { value: endpoint.line }, endpoint.line));
  }
  select.replaceChildren(...groups.values());
  select.value = "GET /users/{username}";

  const current = () => parsed.find((endpoint) => endpoint.line === select.value) || parsed[0];

  function renderParameters() {
    const endpoint = current();
    const previous = Object.fromEntries([...$("console-params").querySelectorAll("input")].map((input) => [input.name, input.value]));
    const fields = endpoint.parameters.map((name) => {
      const isText = TEXT_PARAMETERS.has(name);
      const input = el("input", {
        type: "text", id: `console-param-${name}`, name, required: true, autocomplete: "off", spellcheck: "false",
        inputmode: isText ? null : "numeric", placeholder: isText ? "" : "a number, e.g. 1234",
        "aria-describedby": `console-param-${name}-hint`,
      });
      input.value = previous[name] ?? DEFAULTS[name] ?? "";
      input.addEventListener("input", () => { input.removeAttribute("aria-invalid"); updateLine(); });
      return el("div", { className: "field" },
        el("label", { for: `console-param-${name}` }, `{${name}}`),
        input,
        el("p", { className: "hint", id: `console-param-${name}-hint` }, isText ? "text" : "number"));
    });
    $("console-params").replaceChildren(...fields);
    $("console-params-set").hidden = fields.length === 0;
    $("console-body-field").hidden = !(endpoint.method === "POST" || endpoint.method === "PATCH");
    updateLine();
  }

  /** The `/api/...` path for the form as filled, or an error naming the field to fix. */
  function build() {
    const endpoint = current();
    let path = endpoint.path;
    for (const name of endpoint.parameters) {
      const input = $(`console-param-${name}`);
      const value = input.value.trim();
      if (!value) return { error: `Fill in {${name}}.`, input };
      if (!TEXT_PARAMETERS.has(name) && !/^\d+$/.test(value)) return { error: `{${name}} must be a whole number.`, input };
      path = path.replace(`{${name}}`, encodeURIComponent(value));
    }
    const query = $("console-query").value.trim().replace(/^\?/, "");
    return { method: endpoint.method, url: "/api" + path + (query ? `?${query}` : "") };
  }

  function updateLine() {
    const built = build();
    $("console-line").textContent = built.error ? built.error : `${built.method} ${built.url}`;
  }

  select.addEventListener("change", renderParameters);
  $("console-query").addEventListener("input", updateLine);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const built = build();
    if (built.error) {
      built.input.setAttribute("aria-invalid", "true");
      built.input.focus();
      $("console-line").textContent = built.error;
      return;
    }
    let body;
    if (!$("console-body-field").hidden && $("console-body").value.trim()) {
      try {
        body = JSON.stringify(JSON.parse($("console-body").value));
      } catch {
        $("console-body").setAttribute("aria-invalid", "true");
        $("console-body").focus();
        $("console-line").textContent = "The body is not valid JSON.";
        return;
      }
    }
    $("console-body").removeAttribute("aria-invalid");
    await send(built, body);
  });

  renderParameters();
}

async function send(built, body) {
  const button = $("console-send");
  button.disabled = true;
  button.textContent = "Sending…";
  const started = performance.now();
  try {
    const reply = await request(built.url, { method: built.method, body });
    showReply(reply, Math.round(performance.now() - started));
  } catch (error) {
    showReply(null, 0, error.message);
  } finally {
    button.disabled = false;
    button.textContent = "Send request";
  }
}

function showReply(reply, milliseconds, networkMessage) {
  $("console-response").hidden = false;
  const status = $("console-status");
  const output = $("console-output");
  if (!reply) {
    status.textContent = "no answer";
    status.className = "status-pill server";
    $("console-time").textContent = "";
    $("console-rate").replaceChildren();
    $("console-headers").replaceChildren();
    output.textContent = networkMessage;
    return;
  }
  status.textContent = `${reply.status}${reply.body?.error ? ` ${reply.body.error}` : reply.ok ? " OK" : ""}`;
  status.className = `status-pill ${reply.status < 400 ? "ok" : reply.status < 500 ? "client" : "server"}`;
  $("console-time").textContent = `${milliseconds} ms`;
  $("console-rate").replaceChildren(...rateLimit(reply.headers));
  const rows = [];
  for (const name of SHOWN_HEADERS) {
    const value = reply.headers.get(name);
    if (value !== null) rows.push(el("dt", {}, name), el("dd", {}, value));
  }
  $("console-headers").replaceChildren(...rows);
  // Paged lists: follow the Link header's neighbours with the same request.
  const links = parseLinks(reply.headers.get("Link"));
  const pager = [];
  for (const [rel, label] of [["first", "First"], ["prev", "← Previous"], ["next", "Next →"], ["last", "Last"]]) {
    const path = sameOriginAPIPath(links[rel] || "");
    if (!path) continue;
    const button = el("button", { type: "button", className: "small secondary", "data-rel": rel }, label);
    button.addEventListener("click", () => {
      $("console-line").textContent = `GET ${path}`;
      send({ method: "GET", url: path });
    });
    pager.push(button);
  }
  $("console-pages").replaceChildren(...pager);
  $("console-pages").hidden = pager.length === 0;
  if (reply.body !== null) {
    output.replaceChildren(highlightJSON(reply.body));
  } else {
    output.textContent = reply.text || "(empty body)";
  }
}

/** "● 297 of 300 requests left · resets in 4 min 58 s" with a small meter. */
function rateLimit(headers) {
  const limit = Number(headers.get("X-RateLimit-Limit"));
  const remaining = Number(headers.get("X-RateLimit-Remaining"));
  const retryAfter = Number(headers.get("Retry-After"));
  const parts = [];
  if (headers.get("X-RateLimit-Remaining") !== null && limit > 0) {
    const meter = el("span", { className: `meter${remaining / limit < 0.1 ? " low" : ""}`, "aria-hidden": "true" }, el("span"));
    meter.firstChild.style.width = `${Math.max(0, Math.min(100, (remaining / limit) * 100))}%`;
    parts.push(meter, el("span", { id: "console-rate-left" }, `${remaining} of ${limit} requests left`));
    const reset = Number(headers.get("X-RateLimit-Reset"));
    if (reset > 0) {
      const seconds = reset > 1e9 ? reset - Date.now() / 1000 : reset;
      if (seconds > 0) parts.push(el("span", { className: "muted" }, ` · resets in ${formatDuration(seconds)}`));
    }
  }
  if (retryAfter > 0) parts.push(el("span", { className: "muted" }, ` · retry after ${formatDuration(retryAfter)}`));
  if (parts.length === 0) parts.push(el("span", { className: "muted" }, "No rate-limit headers"));
  return parts;
}
