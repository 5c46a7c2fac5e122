// The start page: sign-in buttons for visitors; for a signed-in person their profile, a gallery
// of their things (paged by following the proxy's Link headers) and the API console.
import { describeFailure, el, failureNotice, parseLinks, request, sameOriginAPIPath, sessionStatus } from "./api.js";
import { mountDevBanner } from "./dev-banner.js";
import { mountConsole } from "./console.js";

const THINGS_PER_PAGE = 8;
const $ = (id) => document.getElementById(id);
const pageStatus = $("page-status");

function showError(slot, failure) {
  $(slot).replaceChildren(failure ? failureNotice(failure) : "");
}

async function showPage() {
  let status;
  try {
    status = await sessionStatus();
  } catch (error) {
    $("signed-out").hidden = false;
    showError("page-error", describeFailure(error));
    return;
  }
  if (!status.signed_in) {
    $("signed-in").hidden = true;
    $("user-chip").hidden = true;
    $("signed-out").hidden = false;
    return;
  }
  showUser(status.user);
  $("signed-out").hidden = true;
  $("signed-in").hidden = false;
  pageStatus.textContent = `Signed in as ${status.user.name}.`;
  await Promise.all([loadProfile(), loadThings(`/api/users/${encodeURIComponent(status.user.name)}/things?per_page=${THINGS_PER_PAGE}`)]);
}

/** What the session knows (name, avatar), shown at once; the full profile follows. */
function showUser(user) {
  $("user-name").textContent = user.name;
  $("user-full-name").textContent = user.full_name || user.name;
  $("chip-name").textContent = user.name;
  for (const [id, alt] of [["avatar", `${user.name}'s avatar`], ["chip-avatar", ""]]) {
    const image = $(id);
    if (user.thumbnail) {
      image.src = user.thumbnail;
      image.alt = alt;
      image.hidden = false;
    } else {
      image.hidden = true;
    }
  }
  $("user-chip").hidden = false;
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
  if (typeof profile.public_url === "string" && /^https?:\/\//.test(profile.public_url)) {
    link.href = profile.public_url;
    link.hidden = false;
  }
  if (profile.thumbnail) $("avatar").src = profile.thumbnail;
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
  const url = typeof thing.public_url === "string" && /^https?:\/\//.test(thing.public_url) ? thing.public_url : null;
  const image = el("img", { alt: "", loading: "lazy", width: 240, height: 180 });
  if (thing.thumbnail) image.src = thing.thumbnail;
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
  $("gallery").replaceChildren();
  pageStatus.textContent = "Signed out.";
  await showPage();
});

mountConsole();
mountDevBanner($("dev-banner"), { dashboardLink: true });
showPage().catch((error) => showError("page-error", describeFailure(error)));
