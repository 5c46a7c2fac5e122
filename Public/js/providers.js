// The providers the pages know: their names, where their sign-in starts and where the proxy
// forwards their API. `/auth/session` says which sign-in providers this server offers
// (`providers`), which ones the person has linked (`user.accounts`), and whether the app's
// UserEcho feedback forum is on (`forum`: where single sign-on into it starts).

/**
 * `signIn: false` marks a provider nobody signs in with: UserEcho, the app's feedback forum,
 * which any signed-in person uses as themselves (its `login` is where a signed-out person
 * starts, Thingiverse's sign-in).
 * @typedef {{id: string, name: string, login: string, api: string, signIn: boolean}} Provider
 */

/** @type {Record<string, Provider>} in the order the pages list them */
export const PROVIDERS = {
  thingiverse: { id: "thingiverse", name: "Thingiverse", login: "/auth/login", api: "/api", signIn: true },
  flattr: { id: "flattr", name: "Flattr", login: "/auth/flattr/login", api: "/api/flattr", signIn: true },
  userecho: { id: "userecho", name: "UserEcho", login: "/auth/login", api: "/api/userecho", signIn: false },
};

/** The provider for an id, or Thingiverse's for anything unknown (the first release's only one). */
export function provider(id) {
  return PROVIDERS[id] || PROVIDERS.thingiverse;
}

/** The sign-in (or, when signed in, the linking) URL of a provider, coming back to `returnTo`. */
export function loginURL(id, returnTo = "/") {
  const base = provider(id).login;
  return returnTo ? `${base}?return_to=${encodeURIComponent(returnTo)}` : base;
}

/** An allow-list line as the server forwards it: `METHOD /path` with `{id}` and `{name}`. */
const ENDPOINT_LINE = /^(GET|POST|PUT|PATCH|DELETE) (\/([A-Za-z0-9._~-]+|\{id\}|\{name\}))+$/;

/**
 * Providers added to the server by configuration (`THINGBRIDGE_PROVIDERS`) come from
 * `/auth/session`'s `sign_in` list: each is registered here with its name, login path and (for
 * the API console) the endpoints its proxy forwards, and listed after the built-in ones. Only
 * plain names, same-origin paths and well-formed endpoint lines are taken.
 */
function registerConfigured(status) {
  const options = Array.isArray(status?.sign_in) ? status.sign_in : [];
  for (const option of options) {
    const id = option?.id;
    if (typeof id !== "string" || !/^[a-z][a-z0-9]{1,19}$/.test(id) || PROVIDERS[id]) continue;
    const login = typeof option.login === "string" && /^\/auth\/[a-z0-9]+\/login$/.test(option.login) ? option.login : `/auth/${id}/login`;
    const name = typeof option.name === "string" && option.name.trim() ? option.name.trim().slice(0, 40) : id;
    const lines = Array.isArray(option.endpoints) ? option.endpoints : [];
    const endpoints = lines.filter((line) => typeof line === "string" && ENDPOINT_LINE.test(line)).slice(0, 500);
    PROVIDERS[id] = { id, name, login, api: `/api/${id}`, signIn: true, configured: true, endpoints };
  }
}

/** The sign-in providers this server offers, as ids in the pages' order (Thingiverse always). */
export function offeredProviders(status) {
  registerConfigured(status);
  const offered = Array.isArray(status?.providers) ? status.providers : ["thingiverse"];
  return Object.keys(PROVIDERS).filter((id) => PROVIDERS[id].signIn && offered.includes(id));
}

/** The classes of a provider's round mark: its own colour, or the shared one of configured providers. */
export function markClass(id) {
  return PROVIDERS[id]?.configured ? "provider-mark configured" : `provider-mark ${id}`;
}

/**
 * Where the feedback forum opens (`/sso/userecho`) when this server has single sign-on into
 * its UserEcho forum, else null. Only a same-origin path is taken.
 */
export function forumURL(status) {
  const forum = status?.forum;
  return typeof forum === "string" && /^\/(?![\/\\])/.test(forum) ? forum : null;
}

/** The person's linked accounts by provider id: `{thingiverse: {id, name, ...}, flattr: ...}`. */
export function linkedAccounts(status) {
  const user = status?.user;
  if (!user) return {};
  if (user.accounts && typeof user.accounts === "object") return user.accounts;
  // A server of the first release: the one account is Thingiverse's.
  return { [user.provider || "thingiverse"]: user };
}

/** "Thingiverse", "Thingiverse or Flattr", "Thingiverse, Flattr or UserEcho". */
export function joinNames(ids, word = "or") {
  const names = ids.map((id) => provider(id).name);
  return names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} ${word} ${names[names.length - 1]}`;
}

/**
 * An image URL the page may load: same-origin, or https (the CSP allows those). Anything else
 * (http on an https page, `javascript:`, junk) is null, and the caller shows a placeholder.
 */
export function safeImageURL(url) {
  if (typeof url !== "string" || url === "") return null;
  try {
    const parsed = new URL(url, window.location.origin);
    if (parsed.origin === window.location.origin || parsed.protocol === "https:") return parsed.href;
  } catch {
    return null;
  }
  return null;
}

/** A link to a provider's own page, when it is a plain http(s) URL. */
export function safeLinkURL(url) {
  return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null;
}
