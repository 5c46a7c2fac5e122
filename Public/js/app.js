// The start page: sign-in buttons for visitors (Thingiverse, and Flattr when the server offers
// it); for a signed-in person their profile, their linked accounts (link and unlink), the way
// into the app's feedback forum (UserEcho, signed in as them), a gallery of their Thingiverse
// things (paged by following the proxy's Link headers), their Flattr things, and the API console.
import { describeFailure, el, failureNotice, parseLinks, request, sameOriginAPIPath, sessionStatus } from "./api.js";
import { mountDevBanner } from "./dev-banner.js";
import { mountConsole } from "./console.js";
import { PROVIDERS, forumURL, joinNames, linkedAccounts, loginURL, markClass, offeredProviders, provider, safeImageURL, safeLinkURL } from "./providers.js";

const THINGS_PER_PAGE = 8;
const $ = (id) => document.getElementById(id);
const pageStatus = $("page-status");
const apiConsole = mountConsole();

/** Which account each part of the page was last filled for, so a re-render (after an unlink)
 * does not fetch again what is already shown. */
let shownFor = { profile: null, thingiverse: null, flattr: null };

function showError(slot, failure) {
  $(slot).replaceChildren(failure ? failureNotice(failure) : "");
}

async function showPage() {
  let status;
  try {
    status = await sessionStatus();
  } catch (error) {
    showSignedOut({ providers: ["thingiverse"] });
    showError("page-error", describeFailure(error));
    return;
  }
  await showStatus(status);
}

/** Renders the page for a `/auth/session` body (also the answer of an unlink). */
async function showStatus(status) {
  if (!status.signed_in || !status.user) {
    showSignedOut(status);
    return;
  }
  showError("page-error", null);
  const accounts = linkedAccounts(status);
  const offered = offeredProviders(status);
  const personChanged = showPerson(status.user, accounts);
  showAccounts(accounts, offered);
  const forum = forumURL(status);
  showForumLinks(forum);
  apiConsole.setAccounts(accounts, offered, { forum: Boolean(forum) });
  $("signed-out").hidden = true;
  $("signed-in").hidden = false;
  pageStatus.textContent = `Signed in as ${status.user.name}.`;

  const loads = [];
  if (personChanged === "flattr") loads.push(loadFlattrProfile());
  const thingiverse = accounts.thingiverse;
  $("things-section").hidden = !thingiverse;
  if (thingiverse && shownFor.thingiverse !== thingiverse.id) {
    shownFor.thingiverse = thingiverse.id;
    loads.push(loadProfile(), loadThings(`/api/users/${encodeURIComponent(thingiverse.name)}/things?per_page=${THINGS_PER_PAGE}`));
  } else if (!thingiverse) {
    shownFor.thingiverse = null;
    $("gallery").replaceChildren();
  }
  const flattr = accounts.flattr;
  $("flattr-section").hidden = !flattr;
  if (flattr && shownFor.flattr !== flattr.id) {
    shownFor.flattr = flattr.id;
    loads.push(loadFlattrThings());
  } else if (!flattr) {
    shownFor.flattr = null;
    $("flattr-things").replaceChildren();
  }
  await Promise.all(loads);
}

/**
 * "Feedback forum" in the header and on the profile card: plain links to `/sso/userecho`, which
 * sends the person on to the forum signed in as themselves. Hidden when the forum is off.
 */
function showForumLinks(forum) {
  for (const id of ["nav-forum", "forum-link"]) {
    const link = $(id);
    if (forum) link.href = forum;
    link.hidden = !forum;
  }
}

function showSignedOut(status) {
  const offered = offeredProviders(status);
  for (const element of document.querySelectorAll("[data-when-provider]")) {
    element.hidden = !offered.includes(element.dataset.whenProvider);
  }
  // Providers added by configuration get a button each, after the built-in ones.
  $("signin-configured").replaceChildren(...offered.filter((id) => PROVIDERS[id].configured).map((id) =>
    el("a", { className: "button large secondary provider-button", id: `signin-${id}`, href: loginURL(id, "/") },
      el("span", { className: markClass(id), "data-initial": PROVIDERS[id].name.charAt(0).toUpperCase(), "aria-hidden": "true" }),
      `Sign in with ${PROVIDERS[id].name}`)));
  const forum = forumURL(status);
  showForumLinks(null);
  $("hero-forum").hidden = !forum;
  const apis = forum ? [...offered, "userecho"] : offered;
  $("hero-providers").textContent = joinNames(offered);
  $("hero-apis").textContent = apis.length > 1 ? `the ${joinNames(apis, "and")} APIs` : `the ${joinNames(apis)} API`;
  $("signin-lead").textContent = offered.length > 1
    ? `Use your ${joinNames(offered)} account; you can link the other one afterwards. ThingBridge keeps your tokens on the server.`
    : "Use your Thingiverse account. ThingBridge keeps your token on the server.";
  shownFor = { profile: null, thingiverse: null, flattr: null };
  $("gallery").replaceChildren();
  $("flattr-things").replaceChildren();
  $("signed-in").hidden = true;
  $("user-chip").hidden = true;
  $("signed-out").hidden = false;
}

/**
 * The profile card's person: their Thingiverse account when linked (the full profile follows
 * from `/api/users/me`), else the Flattr one (the rest from `/api/flattr/user`), at first from
 * what the session knows.
 * @returns {string|null} the provider whose profile should be fetched now, if the person changed
 */
function showPerson(user, accounts) {
  const shownProvider = accounts.thingiverse ? "thingiverse" : accounts.flattr ? "flattr" : user.provider;
  const account = accounts[shownProvider] || user;
  const key = `${shownProvider}:${account.id}`;
  let changed = null;
  if (shownFor.profile !== key) {
    shownFor.profile = key;
    changed = shownProvider;
    $("user-location").hidden = true;
    $("user-bio").hidden = true;
    $("user-link").hidden = true;
    showError("profile-error", null);
  }
  $("user-name").textContent = account.name;
  $("user-full-name").textContent = account.full_name || account.name;
  $("user-provider").textContent = `on ${provider(shownProvider).name}`;
  $("user-provider").className = `provider-tag ${shownProvider}`;
  showAvatar($("avatar"), account.thumbnail, `${account.name}'s avatar`);
  // The header chip names the same account as the card.
  $("chip-name").textContent = account.name;
  showAvatar($("chip-avatar"), account.thumbnail, "");
  $("user-chip").hidden = false;
  return changed;
}

/** An avatar image, or none (the placeholder background) when there is no loadable URL. */
function showAvatar(image, url, alt) {
  const safe = safeImageURL(url);
  if (safe) {
    if (image.src !== safe) image.src = safe;
    image.alt = alt;
    image.hidden = false;
  } else {
    image.removeAttribute("src");
    image.hidden = true;
  }
}

/** "Linked accounts": one row per provider the server offers, with Unlink or Link. */
function showAccounts(accounts, offered) {
  const linked = offered.filter((id) => accounts[id]);
  const rows = offered.map((id) => {
    const { name } = PROVIDERS[id];
    const account = accounts[id];
    const who = account
      ? el("span", { className: "account-name" }, `@${account.name}`, account.full_name && account.full_name !== account.name ? el("span", { className: "muted" }, ` · ${account.full_name}`) : null)
      : el("span", { className: "muted" }, "Not linked");
    const action = account
      ? el("button", { type: "button", className: "secondary small", id: `unlink-${id}`, "data-unlink": id, "aria-label": `Unlink ${name} account ${account.name}` }, "Unlink")
      : el("a", { className: "button small", id: `link-${id}`, href: loginURL(id, "/") }, `Link ${name}`);
    if (account) action.addEventListener("click", () => unlink(id));
    return el("li", { className: "account", "data-provider": id, "data-linked": account ? "true" : "false" },
      el("span", { className: markClass(id), "data-initial": name.charAt(0).toUpperCase(), "aria-hidden": "true" }),
      el("span", { className: "account-who" }, el("strong", {}, name), who),
      action);
  });
  $("accounts").replaceChildren(...rows);
  const hint = $("accounts-hint");
  if (linked.length === 1 && offered.length > 1) {
    hint.textContent = `Link your ${joinNames(offered.filter((id) => !accounts[id]))} account too, to use both from one session. Unlinking your only account signs you out.`;
    hint.hidden = false;
  } else if (linked.length === 1) {
    hint.textContent = "Unlinking your only account signs you out.";
    hint.hidden = false;
  } else {
    hint.hidden = true;
  }
}

async function unlink(id) {
  const button = $(`unlink-${id}`);
  const name = PROVIDERS[id].name;
  button.disabled = true;
  button.textContent = "Unlinking…";
  let reply;
  try {
    reply = await request(`/auth/${id}/unlink`, { method: "POST" });
  } catch (error) {
    showError("accounts-error", describeFailure(error));
    button.disabled = false;
    button.textContent = "Unlink";
    return;
  }
  if (!reply.ok || !reply.body) {
    showError("accounts-error", describeFailure(reply, "/", id));
    button.disabled = false;
    button.textContent = "Unlink";
    return;
  }
  showError("accounts-error", null);
  await showStatus(reply.body);
  if (reply.body.signed_in) {
    pageStatus.textContent = `${name} unlinked.`;
    // The row's Unlink button is gone; its Link button takes the focus.
    $(`link-${id}`)?.focus();
  } else {
    pageStatus.textContent = `${name} unlinked. That was your only account, so you are signed out.`;
    $("signin-code").focus();
  }
}

async function loadProfile() {
  let reply;
  try {
    reply = await request("/api/users/me");
  } catch (error) {
    showError("profile-error", describeFailure(error));
    return;
  }
  if (!reply.ok || !reply.body) {
    showError("profile-error", describeFailure(reply, "/"));
    return;
  }
  showError("profile-error", null);
  const profile = reply.body;
  $("user-name").textContent = profile.name;
  $("user-full-name").textContent = profile.full_name || profile.name;
  const location = $("user-location");
  location.textContent = profile.location || "";
  location.hidden = !profile.location;
  const bio = $("user-bio");
  bio.textContent = profile.bio || "";
  bio.hidden = !profile.bio;
  const link = $("user-link");
  if (safeLinkURL(profile.public_url)) {
    link.href = profile.public_url;
    link.textContent = "Profile on Thingiverse";
    link.hidden = false;
  }
  showAvatar($("avatar"), profile.thumbnail || $("avatar").src, `${profile.name}'s avatar`);
}

/** The rest of a Flattr-only person's profile: their Flattr page, where they are, about them. */
async function loadFlattrProfile() {
  let reply;
  try {
    reply = await request("/api/flattr/user");
  } catch (error) {
    showError("profile-error", describeFailure(error));
    return;
  }
  if (!reply.ok || !reply.body) {
    showError("profile-error", describeFailure(reply, "/", "flattr"));
    return;
  }
  if (!shownFor.profile?.startsWith("flattr:")) return; // Thingiverse was linked meanwhile
  showError("profile-error", null);
  const user = reply.body;
  const place = [user.city, user.country].filter((part) => typeof part === "string" && part).join(", ");
  $("user-location").textContent = place;
  $("user-location").hidden = !place;
  const about = typeof user.about === "string" ? user.about : typeof user.description === "string" ? user.description : "";
  $("user-bio").textContent = about;
  $("user-bio").hidden = !about;
  const link = $("user-link");
  if (safeLinkURL(user.link)) {
    link.href = user.link;
    link.rel = "noopener";
    link.textContent = "Profile on Flattr";
    link.hidden = false;
  }
}

let thingsLinks = {};
let thingsPage = 1;

/** Loads one page of things from a same-origin `/api/...` path (the first one, or a Link target). */
async function loadThings(path) {
  const gallery = $("gallery");
  gallery.setAttribute("aria-busy", "true");
  $("things-prev").disabled = true;
  $("things-next").disabled = true;
  let reply;
  try {
    reply = await request(path);
  } catch (error) {
    showError("things-error", describeFailure(error));
    gallery.setAttribute("aria-busy", "false");
    return;
  }
  gallery.setAttribute("aria-busy", "false");
  if (!reply.ok || !Array.isArray(reply.body)) {
    showError("things-error", describeFailure(reply, "/"));
    updatePager();
    if (!reply.ok && $("gallery").children.length === 0) $("things-page").textContent = "";
    return;
  }
  showError("things-error", null);
  thingsLinks = parseLinks(reply.headers.get("Link"));
  thingsPage = Number(new URL(path, window.location.origin).searchParams.get("page") || 1);

  if (reply.body.length === 0) {
    gallery.replaceChildren(el("li", { className: "muted" }, "No things yet. Things you publish on Thingiverse appear here."));
  } else {
    gallery.replaceChildren(...reply.body.map(thingCard));
  }
  updatePager();
  pageStatus.textContent = `Showing page ${thingsPage} of your things.`;
}

function thingCard(thing) {
  const url = safeLinkURL(thing.public_url);
  const image = el("img", { alt: "", loading: "lazy", width: 240, height: 180 });
  const src = safeImageURL(thing.thumbnail);
  if (src) image.src = src;
  const title = url ? el("a", { href: url, rel: "noopener" }, thing.name) : el("span", {}, thing.name);
  return el("li", { className: "thing", "data-thing-id": thing.id },
    image,
    el("div", { className: "body" }, title, el("p", { className: "id" }, `Thing #${thing.id}`)));
}

function updatePager() {
  const last = thingsLinks.last ? Number(new URL(thingsLinks.last, window.location.origin).searchParams.get("page")) : thingsPage;
  const lastPage = Math.max(last || 1, thingsPage);
  $("things-page").textContent = `Page ${thingsPage} of ${lastPage}`;
  $("things-count").textContent = `${THINGS_PER_PAGE} per page`;
  $("things-prev").disabled = !sameOriginAPIPath(thingsLinks.prev || "");
  $("things-next").disabled = !sameOriginAPIPath(thingsLinks.next || "");
}

/** The person's things on Flattr (`GET /user/things` through `/api/flattr/`). */
async function loadFlattrThings() {
  const list = $("flattr-things");
  list.setAttribute("aria-busy", "true");
  let reply;
  try {
    reply = await request("/api/flattr/user/things");
  } catch (error) {
    showError("flattr-error", describeFailure(error));
    list.setAttribute("aria-busy", "false");
    return;
  }
  list.setAttribute("aria-busy", "false");
  if (!reply.ok || !Array.isArray(reply.body)) {
    showError("flattr-error", describeFailure(reply, "/", "flattr"));
    $("flattr-count").textContent = "";
    return;
  }
  showError("flattr-error", null);
  const things = reply.body;
  $("flattr-count").textContent = things.length === 1 ? "1 thing" : `${things.length} things`;
  if (things.length === 0) {
    list.replaceChildren(el("li", { className: "empty muted" }, "No things on Flattr yet. Things you submit to Flattr appear here."));
  } else {
    list.replaceChildren(...things.map(flattrThingCard));
  }
}

function flattrThingCard(thing) {
  const title = thing.title || thing.url || `Thing ${thing.id}`;
  const link = safeLinkURL(thing.link);
  const src = safeImageURL(thing.image);
  const picture = src
    ? el("img", { className: "flattr-image", alt: "", loading: "lazy", width: 72, height: 72, src })
    : el("span", { className: "flattr-image placeholder", "aria-hidden": "true" }, (title.trim()[0] || "#").toUpperCase());
  const flattrs = Number(thing.flattrs) || 0;
  const facts = [
    thing.category ? el("span", { className: "chip" }, thing.category) : null,
    thing.hidden === true || thing.hidden === 1 ? el("span", { className: "chip hidden-thing" }, "hidden") : null,
    el("span", { className: "flattrs" }, flattrs === 1 ? "1 flattr" : `${flattrs} flattrs`),
    el("span", { className: "muted" }, `#${thing.id}`),
  ];
  const tags = Array.isArray(thing.tags) && thing.tags.length
    ? el("p", { className: "tags" }, ...thing.tags.slice(0, 6).map((tag) => el("span", { className: "tag" }, String(tag))))
    : null;
  return el("li", { className: "flattr-thing", "data-flattr-id": thing.id },
    picture,
    el("div", { className: "body" },
      el("p", { className: "title" }, link ? el("a", { href: link, rel: "noopener" }, title) : title),
      el("p", { className: "facts" }, ...facts),
      thing.description ? el("p", { className: "description" }, thing.description) : null,
      tags));
}

$("things-next").addEventListener("click", () => {
  const path = sameOriginAPIPath(thingsLinks.next || "");
  if (path) loadThings(path).then(() => $("things-title").scrollIntoView({ block: "nearest" }));
});
$("things-prev").addEventListener("click", () => {
  const path = sameOriginAPIPath(thingsLinks.prev || "");
  if (path) loadThings(path);
});

$("signout").addEventListener("click", async () => {
  $("signout").disabled = true;
  try {
    await request("/auth/logout", { method: "POST" });
  } finally {
    $("signout").disabled = false;
  }
  pageStatus.textContent = "Signed out.";
  await showPage();
});

mountDevBanner($("dev-banner"), { dashboardLink: true });
showPage().catch((error) => showError("page-error", describeFailure(error)));
