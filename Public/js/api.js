// Small helpers shared by the pages: same-origin JSON requests, readable errors, Link headers
// and building elements without innerHTML (so nothing the API returns can become markup).
import { loginURL, provider as providerNamed } from "./providers.js";

/** An answer from ThingBridge: status, headers and the body (parsed JSON when it is JSON). */
export class Reply {
  constructor(response, body, text) {
    this.status = response.status;
    this.ok = response.ok;
    this.headers = response.headers;
    this.body = body;
    this.text = text;
    /** Where the answer came from (differs from the request's URL after a followed redirect). */
    this.url = response.url;
    this.redirected = response.redirected;
  }
}

/**
 * Fetches a same-origin URL with the session cookie and reads the whole body.
 * Never throws for HTTP errors (look at `reply.ok`); throws a `NetworkError` when ThingBridge
 * itself cannot be reached.
 */
export async function request(url, { method = "GET", body, headers = {} } = {}) {
  const options = { method, credentials: "same-origin", headers: { Accept: "application/json", ...headers } };
  if (body !== undefined) {
    options.body = typeof body === "string" ? body : JSON.stringify(body);
    options.headers["Content-Type"] = "application/json";
  }
  let response;
  try {
    response = await fetch(url, options);
  } catch (error) {
    throw new NetworkError();
  }
  const text = await response.text();
  let parsed = null;
  if (text && (response.headers.get("Content-Type") || "").includes("json")) {
    try { parsed = JSON.parse(text); } catch { parsed = null; }
  }
  return new Reply(response, parsed, text);
}

/** ThingBridge did not answer at all (stopped, offline). */
export class NetworkError extends Error {
  constructor() { super("ThingBridge could not be reached. Check your connection and try again."); }
}

/**
 * What went wrong, for a person: a title, a sentence, and maybe a link to act on.
 * @param {Reply|Error} replyOrError
 * @param {string} returnTo where a "Sign in" action comes back to
 * @param {string} providerID whose API was called (`thingiverse`, `flattr`, `userecho`): names it and signs in there (Thingiverse for UserEcho)
 * @returns {{title: string, message: string, kind: string, action?: {label: string, href: string}}}
 */
export function describeFailure(replyOrError, returnTo = "/", providerID = "thingiverse") {
  if (!(replyOrError instanceof Reply)) {
    return { kind: "offline", title: "ThingBridge is not answering", message: replyOrError?.message || String(replyOrError) };
  }
  const reply = replyOrError;
  const name = providerNamed(providerID).name;
  // UserEcho is nobody's sign-in: a signed-out person signs in with Thingiverse.
  const signInID = providerNamed(providerID).signIn === false ? "thingiverse" : providerID;
  const signInName = providerNamed(signInID).name;
  const message = reply.body?.message || reply.body?.error_description;
  switch (true) {
    case reply.status === 401:
      return {
        kind: "signed-out", title: "You are signed out",
        message: message || `Your session has ended. Sign in with ${signInName} again.`,
        action: { label: `Sign in with ${signInName}`, href: loginURL(signInID, returnTo) },
      };
    case reply.status === 403:
      return { kind: "forbidden", title: "Not allowed", message: message || "Your account may not do this." };
    case reply.status === 429: {
      const wait = Number(reply.headers.get("Retry-After"));
      const said = message && /try again/i.test(message);
      const when = !said && Number.isFinite(wait) && wait > 0 ? ` Try again in ${formatDuration(wait)}.` : "";
      return { kind: "rate-limited", title: "Slow down: rate limit reached", message: (message || `Too many requests to ${name}.`) + when };
    }
    case reply.status === 504:
      return { kind: "upstream", title: `${name} is too slow`, message: message || `${name} did not answer in time. Try again in a moment.` };
    case reply.status >= 500:
      return { kind: "upstream", title: `${name} is not answering`, message: message || `${name} seems to be down. Try again in a moment.` };
    case reply.status === 404:
      return { kind: "not-found", title: "Not found", message: message || "There is nothing at this address." };
    default:
      return { kind: "error", title: `Something went wrong (${reply.status})`, message: message || "The request failed." };
  }
}

/** A notice box for a failure, with its action link when there is one. */
export function failureNotice(failure) {
  const box = el("div", { className: `notice ${failure.kind === "rate-limited" ? "warn" : "error"}`, role: "alert" },
    el("strong", {}, failure.title), el("p", {}, failure.message));
  box.dataset.kind = failure.kind;
  if (failure.action) {
    box.append(el("p", {}, el("a", { className: "button small", href: failure.action.href }, failure.action.label)));
  }
  return box;
}

/** Parses `Link: <url>; rel="next", <url>; rel="last"` into `{next: url, last: url}`. */
export function parseLinks(header) {
  const links = {};
  if (!header) return links;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = part.match(/<([^>]*)>\s*;\s*rel="?([^";]+)"?/);
    if (match) {
      for (const rel of match[2].trim().split(/\s+/)) links[rel] = match[1];
    }
  }
  return links;
}

/** A Link URL as a same-origin `/api/...` path, or null if it points anywhere else. */
export function sameOriginAPIPath(url) {
  try {
    const parsed = new URL(url, window.location.origin);
    if (parsed.origin !== window.location.origin || !parsed.pathname.startsWith("/api/")) return null;
    return parsed.pathname + parsed.search;
  } catch {
    return null;
  }
}

/** `document.createElement` with properties and children (strings become text nodes). */
export function el(tag, properties = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(properties)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "className" || key === "textContent" || key === "hidden" || key === "href" || key === "src" || key === "alt" || key === "type" || key === "value" || key === "id" || key === "title") {
      element[key] = value;
    } else {
      element.setAttribute(key, value === true ? "" : String(value));
    }
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** `90` → `1 min 30 s`. */
export function formatDuration(seconds) {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  const rest = s % 60;
  if (minutes < 60) return rest ? `${minutes} min ${rest} s` : `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** Pretty-printed JSON as coloured spans (text nodes only, never markup from the data). */
export function highlightJSON(value) {
  const fragment = document.createDocumentFragment();
  const text = JSON.stringify(value, null, 2);
  const pattern = /("(?:\\.|[^"\\])*")(\s*:)?|\b(true|false|null)\b|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > last) fragment.append(text.slice(last, match.index));
    if (match[1]) {
      fragment.append(el("span", { className: match[2] ? "j-key" : "j-str" }, match[1]));
      if (match[2]) fragment.append(match[2]);
    } else if (match[3]) {
      fragment.append(el("span", { className: "j-lit" }, match[3]));
    } else {
      fragment.append(el("span", { className: "j-num" }, match[4]));
    }
    last = match.index + match[0].length;
  }
  fragment.append(text.slice(last));
  return fragment;
}

/**
 * Whether the browser is signed in: `{signed_in, user, providers, forum}` from `/auth/session`
 * (always 200); `user.accounts` lists every linked account by provider; `forum` is where the
 * app's UserEcho forum opens (single sign-on), or null.
 */
export async function sessionStatus() {
  const reply = await request("/auth/session");
  return reply.ok && reply.body ? reply.body : { signed_in: false, user: null, providers: ["thingiverse"], forum: null };
}
