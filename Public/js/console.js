// The API console: pick a provider (Thingiverse, Flattr, UserEcho, the app's feedback forum, or
// one added by configuration) and one of the endpoints the proxy forwards for it, fill its path
// parameters, query and JSON body, send it through /api/ (or /api/flattr/, /api/userecho/,
// /api/NAME/) with the session, and read status, rate limit, headers and the JSON.
import { el, formatDuration, highlightJSON, parseLinks, request, sameOriginAPIPath } from "./api.js";
import { endpoints, flattrEndpoints, userechoEndpoints } from "./endpoints.js";
import { PROVIDERS, loginURL, markClass } from "./providers.js";

/**
 * Each provider's endpoint list and how its path parameters look (as EndpointAllowList says):
 * `text` ones are any text, `list` ones comma-separated numbers, every other one a number;
 * `own` ones are the person's own id there (UserEcho's `{self}`, filled in from
 * `users/current`). `bodies` are example JSON bodies, by endpoint.
 */
const CONSOLES = {
  thingiverse: {
    endpoints,
    first: "GET /users/{username}",
    text: new Set(["username", "term", "category_slug", "tag"]),
    list: new Set(),
    defaults: { username: "me", term: "vase", category_slug: "household", tag: "organizer" },
    queryHint: "page=1&per_page=5",
  },
  flattr: {
    endpoints: flattrEndpoints,
    first: "GET /user",
    text: new Set(["username"]),
    list: new Set(["ids"]),
    defaults: { ids: "423405", username: "flattr" },
    queryHint: "page=1&count=5",
    queryHints: {
      "GET /things/lookup": "url=http://blog.flattr.net/2011/10/api-v2-beta-out-whats-changed/",
      "GET /things/search": "query=flattr&tags=api",
    },
  },
  userecho: {
    endpoints: userechoEndpoints,
    first: "GET /forums",
    text: new Set(),
    list: new Set(),
    own: new Set(["self"]),
    defaults: { id: "1" },
    queryHint: "page=1&limit=5",
    queryHints: {
      "GET /forums/{id}/topics/search": "query=dark mode",
      "GET /forums/{id}/topics": "page=1&limit=5&filter__status=1",
    },
    bodies: {
      "POST /forums/{id}/topics": { header: "Dark mode for the API console", description: "Easier on the eyes at night." },
      "PUT /forums/{id}/topics": { id: 1, header: "A clearer title for my topic" },
      "POST /topics/{id}/comments": { text: "I would use this every day." },
    },
  },
};
const BODY_METHODS = new Set(["POST", "PUT", "PATCH"]);
/** UserEcho's proxy names the person itself (and refuses an `sso_token`, `user_id`... from the browser). */
const USERECHO_NOTE = "ThingBridge adds who you are (your sso_token) itself: the topic or comment is yours.";
const SHOWN_HEADERS = ["content-type", "link", "location", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", "retry-after", "etag", "cache-control"];
const $ = (id) => document.getElementById(id);

/** One `METHOD /path/{param}` line, parsed. */
function parseEndpoint(line) {
  const [method, path] = line.split(" ");
  const parameters = [...path.matchAll(/\{([a-z_]+)\}/g)].map((match) => match[1]);
  return { line, method, path, parameters, group: path.split("/")[1] };
}

/**
 * Sets the console up; the page tells it which accounts are linked with `setAccounts`.
 * @returns {{setAccounts(accounts: object, offered: string[]): void}}
 */
export function mountConsole() {
  const form = $("console");
  const select = $("console-endpoint");
  const parsed = Object.fromEntries(Object.entries(CONSOLES).map(([id, spec]) => [id, spec.endpoints.map(parseEndpoint)]));
  const chosen = Object.fromEntries(Object.entries(CONSOLES).map(([id, spec]) => [id, spec.first]));
  /** What was typed into each path parameter, per provider, kept across endpoints. */
  const typed = Object.fromEntries(Object.keys(CONSOLES).map((id) => [id, {}]));
  /** What was typed into the body, per provider and endpoint (a body fits one endpoint only). */
  const typedBodies = Object.fromEntries(Object.keys(CONSOLES).map((id) => [id, {}]));
  /** The person's own UserEcho id, once `users/current` has said it. */
  let ownUserEchoID = null;
  let askingOwnID = false;
  let providerID = "thingiverse";
  let accountNames = {};

  const spec = () => CONSOLES[providerID];

  /**
   * A provider added by configuration gets a console from its allow-list (`{name}` is text,
   * `{id}` a number) and a choice beside the built-in ones, the first time it is offered.
   */
  function addConfigured(id) {
    const endpoints = PROVIDERS[id]?.endpoints;
    if (CONSOLES[id] || !PROVIDERS[id]?.configured || !endpoints?.length) return;
    CONSOLES[id] = { endpoints, first: endpoints[0], text: new Set(["name"]), list: new Set(), defaults: {}, queryHint: "" };
    parsed[id] = endpoints.map(parseEndpoint);
    chosen[id] = endpoints[0];
    typed[id] = {};
    typedBodies[id] = {};
    const radio = el("input", { type: "radio", name: "console-provider", id: `console-provider-${id}`, value: id });
    radio.addEventListener("change", (event) => { if (event.target.checked) choose(id); });
    const label = el("label", { for: `console-provider-${id}` },
      el("span", { className: markClass(id), "data-initial": PROVIDERS[id].name.charAt(0).toUpperCase(), "aria-hidden": "true" }),
      PROVIDERS[id].name);
    $("console-provider-set").querySelector(".segmented").append(radio, label);
  }
  const current = () => parsed[providerID].find((endpoint) => endpoint.line === select.value) || parsed[providerID][0];

  /** Fills the endpoint picker with the chosen provider's list, grouped by first path segment. */
  function renderEndpoints() {
    const groups = new Map();
    for (const endpoint of parsed[providerID]) {
      if (!groups.has(endpoint.group)) groups.set(endpoint.group, el("optgroup", { label: `/${endpoint.group}` }));
      groups.get(endpoint.group).append(el("option", { value: endpoint.line }, endpoint.line));
    }
    select.replaceChildren(...groups.values());
    select.value = chosen[providerID];
    $("console-via").textContent = `${PROVIDERS[providerID].api}/`;
    renderParameters();
  }

  function renderParameters() {
    const endpoint = current();
    const { text, list, defaults } = spec();
    const own = spec().own || new Set();
    // `{self}`: ask users/current now (the field fills in when it answers).
    if (endpoint.parameters.some((name) => own.has(name)) && ownUserEchoID === null) askOwnID();
    const fields = endpoint.parameters.map((name) => {
      const kind = text.has(name) ? "text" : list.has(name) ? "list" : own.has(name) ? "own" : "number";
      const input = el("input", {
        type: "text", id: `console-param-${name}`, name, required: true, autocomplete: "off", spellcheck: "false",
        inputmode: kind === "text" ? null : kind === "list" ? "text" : "numeric",
        placeholder: kind === "number" ? "a number, e.g. 1234" : kind === "list" ? "e.g. 423405,450287" : kind === "own" ? "your UserEcho id" : "",
        "aria-describedby": `console-param-${name}-hint`,
      });
      const fallback = name === "username" && providerID === "flattr" ? accountNames.flattr
        : kind === "own" ? ownUserEchoID ?? undefined : undefined;
      input.value = typed[providerID][name] ?? fallback ?? defaults[name] ?? "";
      input.addEventListener("input", () => {
        typed[providerID][name] = input.value;
        input.removeAttribute("aria-invalid");
        updateLine();
      });
      const hint = kind === "list" ? "numbers, comma-separated" : kind === "own" ? ownIDHint() : kind;
      return el("div", { className: "field" },
        el("label", { for: `console-param-${name}` }, `{${name}}`),
        input,
        el("p", { className: "hint", id: `console-param-${name}-hint` }, hint));
    });
    $("console-params").replaceChildren(...fields);
    $("console-params-set").hidden = fields.length === 0;
    renderBody(endpoint);
    $("console-query").placeholder = spec().queryHints?.[endpoint.line] || spec().queryHint;
    updateLine();
  }

  function ownIDHint() {
    if (ownUserEchoID !== null) return "your own UserEcho id, from users/current";
    return askingOwnID ? "your own UserEcho id (asking users/current…)" : "your own UserEcho id: GET /users/current says it (data.id)";
  }

  /** The body editor for methods that carry one: what was typed for this endpoint, else its example. */
  function renderBody(endpoint) {
    const field = $("console-body-field");
    const body = $("console-body");
    field.hidden = !BODY_METHODS.has(endpoint.method);
    if (field.hidden) return;
    const example = spec().bodies?.[endpoint.line];
    const exampleText = example ? JSON.stringify(example, null, 2) : "";
    body.value = typedBodies[providerID][endpoint.line] ?? exampleText;
    body.placeholder = exampleText || "{\"name\": \"…\"}";
    body.removeAttribute("aria-invalid");
    const notes = [
      example ? "It starts as an example for this endpoint; edit it freely." : "Optional. Sent as application/json.",
      providerID === "userecho" ? USERECHO_NOTE : "",
    ].filter(Boolean);
    $("console-body-hint").textContent = notes.join(" ");
  }

  /** Asks `users/current` once for the person's UserEcho id, for `{self}`. */
  async function askOwnID() {
    if (askingOwnID) return;
    askingOwnID = true;
    let reply = null;
    try {
      reply = await request(`${PROVIDERS.userecho.api}/users/current`);
    } catch {
      // Left to the person: the hint says where the id comes from.
    } finally {
      askingOwnID = false;
    }
    learnOwnID(reply);
    const hint = $("console-param-self-hint");
    if (hint) hint.textContent = ownIDHint();
  }

  /** Keeps the id from a `users/current` answer and fills `{self}` if it is still empty. */
  function learnOwnID(reply) {
    const id = reply?.ok ? reply.body?.data?.id : undefined;
    if (!Number.isInteger(id)) return;
    ownUserEchoID = String(id);
    const input = $("console-param-self");
    if (providerID !== "userecho" || !input) return;
    if (!input.value.trim()) input.value = ownUserEchoID;
    $("console-param-self-hint").textContent = ownIDHint();
    updateLine();
  }

  /** The proxy path for the form as filled, or an error naming the field to fix. */
  function build() {
    const endpoint = current();
    const { text, list } = spec();
    let path = endpoint.path;
    for (const name of endpoint.parameters) {
      const input = $(`console-param-${name}`);
      const value = input.value.trim();
      if (!value) return { error: `Fill in {${name}}.`, input };
      if (list.has(name)) {
        const ids = value.replace(/\s*,\s*/g, ",");
        if (!/^\d+(,\d+)*$/.test(ids)) return { error: `{${name}} must be whole numbers separated by commas.`, input };
        path = path.replace(`{${name}}`, ids);
        continue;
      }
      if (!text.has(name) && !/^\d+$/.test(value)) return { error: `{${name}} must be a whole number.`, input };
      path = path.replace(`{${name}}`, encodeURIComponent(value));
    }
    const query = $("console-query").value.trim().replace(/^\?/, "");
    return { method: endpoint.method, url: PROVIDERS[providerID].api + path + (query ? `?${query}` : "") };
  }

  function updateLine() {
    const built = build();
    $("console-line").textContent = built.error ? built.error : `${built.method} ${built.url}`;
  }

  function choose(id) {
    if (id === providerID) return;
    chosen[providerID] = select.value;
    providerID = id;
    $("console-query").value = "";
    $("console-response").hidden = true;
    renderEndpoints();
  }

  /**
   * Offers the providers the person has linked; the others are shown disabled with a hint.
   * UserEcho (the app's forum) needs no account of its own: it is there whenever the server has
   * its forum on (`forum`), for anyone signed in.
   */
  function setAccounts(accounts, offered, { forum = false } = {}) {
    offered.forEach(addConfigured);
    accountNames = Object.fromEntries(Object.entries(accounts).map(([id, account]) => [id, account.name]));
    const shown = [...offered, ...(forum ? ["userecho"] : [])];
    const usable = (id) => (PROVIDERS[id].signIn ? Boolean(accounts[id]) : shown.includes(id));
    const hints = [];
    for (const id of Object.keys(CONSOLES)) {
      const radio = $(`console-provider-${id}`);
      const isOffered = shown.includes(id);
      radio.disabled = !usable(id);
      radio.hidden = !isOffered;
      radio.nextElementSibling.hidden = !isOffered;
      if (isOffered && !usable(id)) hints.push(id);
    }
    // Only one provider offered: no choice to show.
    $("console-provider-set").hidden = shown.filter((id) => CONSOLES[id]).length < 2;
    const hint = $("console-provider-hint");
    hint.replaceChildren(...hints.flatMap((id, index) => [
      ...(index > 0 ? [" "] : []),
      `${PROVIDERS[id].name} needs a linked account: `,
      el("a", { href: loginURL(id, "/") }, `link ${PROVIDERS[id].name}`),
      ".",
    ]));
    hint.hidden = hints.length === 0;
    const choices = Object.keys(CONSOLES).filter(usable);
    const next = choices.includes(providerID) ? providerID : choices[0] || "thingiverse";
    $(`console-provider-${next}`).checked = true;
    if (next !== providerID) {
      choose(next);
    } else {
      renderParameters();
    }
  }

  for (const id of Object.keys(CONSOLES)) {
    $(`console-provider-${id}`).addEventListener("change", (event) => { if (event.target.checked) choose(id); });
  }
  select.addEventListener("change", () => { chosen[providerID] = select.value; renderParameters(); });
  $("console-query").addEventListener("input", updateLine);
  $("console-body").addEventListener("input", () => {
    typedBodies[providerID][current().line] = $("console-body").value;
    $("console-body").removeAttribute("aria-invalid");
  });
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
    const line = current().line;
    $("console-line").textContent = `${built.method} ${built.url}`;
    const reply = await send(built, body);
    if (providerID === "userecho" && line === "GET /users/current") learnOwnID(reply);
  });

  renderEndpoints();
  return { setAccounts };
}

/** Sends the request and shows the answer; returns the reply (null when nothing answered). */
async function send(built, body) {
  const button = $("console-send");
  button.disabled = true;
  button.textContent = "Sending…";
  const started = performance.now();
  try {
    const reply = await request(built.url, { method: built.method, body });
    showReply(reply, Math.round(performance.now() - started));
    return reply;
  } catch (error) {
    showReply(null, 0, error.message);
    return null;
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
    $("console-redirect").hidden = true;
    output.textContent = networkMessage;
    return;
  }
  status.textContent = `${reply.status}${statusWord(reply)}`;
  status.className = `status-pill ${reply.status < 400 ? "ok" : reply.status < 500 ? "client" : "server"}`;
  $("console-time").textContent = `${milliseconds} ms`;
  $("console-rate").replaceChildren(...rateLimit(reply.headers));
  // The browser follows a redirect (Flattr's /things/lookup answers 302); say where it went.
  const redirect = $("console-redirect");
  const landed = reply.redirected ? sameOriginAPIPath(reply.url) || reply.url : null;
  redirect.textContent = landed ? `Redirected to ${landed}` : "";
  redirect.hidden = !landed;
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

/**
 * What follows the status code in the pill: ThingBridge's error code, or UserEcho's own
 * `"status"` (`success` / `error`, which it also sends with a 200), or "OK".
 */
function statusWord(reply) {
  const body = reply.body;
  if (typeof body?.error === "string") return ` ${body.error}`;
  if (body && (body.status === "success" || body.status === "error")) return ` ${body.status}`;
  return reply.ok ? " OK" : "";
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
