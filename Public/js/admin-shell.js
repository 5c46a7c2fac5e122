// What the admin pages (orders at /admin, the relay at /admin/relay/) share: the header's user
// chip and forum link, the sign-in gate shown instead of the page, and times in local form.
import { el } from "./api.js";
import { forumURL, linkedAccounts, loginURL, safeImageURL } from "./providers.js";

const $ = (id) => document.getElementById(id);

/** An ISO time as the reader's local date and time, or `–`. */
export function localTime(iso) {
  if (!iso) return "–";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

/** How long ago an ISO time was, in words (`just now`, `4 min ago`, `2 h ago`, `3 days ago`). */
export function timeAgo(iso, now = Date.now()) {
  const then = new Date(iso).getTime();
  if (!iso || Number.isNaN(then)) return "–";
  const seconds = Math.max(0, Math.round((now - then) / 1000));
  if (seconds < 10) return "just now";
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  const days = Math.floor(seconds / 86400);
  return `${days} ${days === 1 ? "day" : "days"} ago`;
}

/**
 * Fills the header for a signed-in visitor (name, avatar, the forum link) from `/auth/session`.
 * @returns {string|null} where the forum opens, for pages that link to it elsewhere too
 */
export function fillHeader(status) {
  if (!status.signed_in) return null;
  $("chip-name").textContent = status.user.name;
  const avatar = safeImageURL(status.user.thumbnail);
  if (avatar) $("chip-avatar").src = avatar;
  else $("chip-avatar").hidden = true;
  $("user-chip").hidden = false;
  const forum = forumURL(status);
  if (forum) {
    $("nav-forum").href = forum;
    $("nav-forum").hidden = false;
  }
  return forum;
}

/**
 * Hides the page (`#dashboard`) and shows the gate: sign in (401) or not an admin (403).
 * @param {{status: number, message?: string, signedIn: object|null, subject: string, returnTo: string}} options
 *   `subject` finishes "Sign in to see …"; `returnTo` is where signing in comes back to.
 */
export function showGate({ status, message, signedIn, subject, returnTo }) {
  $("dashboard").hidden = true;
  $("gate").hidden = false;
  if (status === 401) {
    $("gate-title").textContent = `Sign in to see ${subject}`;
    $("gate-message").textContent = "The dashboard is for the shop's admin users. Sign in with your Thingiverse account.";
    $("gate-action").replaceChildren(el("a", { className: "button", id: "gate-signin", href: `/auth/login?return_to=${encodeURIComponent(returnTo)}` }, "Sign in with Thingiverse"));
  } else if (signedIn && !linkedAccounts(signedIn).thingiverse) {
    // Admins are named by their Thingiverse account; a Flattr account alone is not enough.
    $("gate-title").textContent = "You are not an admin";
    $("gate-message").textContent = "Admin users are named by their Thingiverse account, and this session has none. Link your Thingiverse account to open the dashboard.";
    $("gate-action").replaceChildren(
      el("a", { className: "button", id: "gate-link", href: loginURL("thingiverse", returnTo) }, "Link Thingiverse"),
      el("a", { className: "button secondary", href: "/" }, "Back to the start page"));
  } else {
    $("gate-title").textContent = "You are not an admin";
    $("gate-message").textContent = message || "Your account is not one of the admin users (THINGBRIDGE_ADMIN_USERS).";
    $("gate-action").replaceChildren(el("a", { className: "button secondary", href: "/" }, "Back to the start page"));
  }
  $("gate").dataset.status = String(status);
}

/**
 * Whether `target` already shows what `signature` describes; if not, records it (the caller then
 * draws). A live refresh that changed nothing leaves the elements, and so a person's focus, text
 * selection and open tooltip, as they are.
 */
export function showsAlready(target, signature) {
  if (target.dataset.signature === signature && target.firstChild) return true;
  target.dataset.signature = signature;
  return false;
}
