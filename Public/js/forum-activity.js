// The dashboard's "Forum activity" card: the latest UserEcho hooks in the event log
// (`/admin/api/events?source=userecho`), each with what happened, the topic's header or the
// comment's text, who wrote it and when it arrived. The list says nothing of that; the text comes
// from each event's raw body (`/admin/api/events/{id}`), fetched once per event (events never
// change) and only for the few shown. Everything from the data is set as text, never as markup.
import { el, request } from "./api.js";
import { safeLinkURL } from "./providers.js";

export const FORUM_LIMIT = 10;

/** UserEcho's eight hook names, as a person reads them. */
const LABELS = {
  "topic.created": "New topic",
  "topic.accepted": "Topic accepted",
  "topic.deleted": "Topic deleted",
  "topic.satisfaction_changed": "Satisfaction changed",
  "topic.satisfaction_received": "Satisfaction rated",
  "comment.created": "New comment",
  "comment.accepted": "Comment accepted",
  "comment.deleted": "Comment deleted",
};

/** Hook name → the badge's look. */
function tone(hook) {
  if (/\.deleted$/.test(hook)) return "removed";
  if (/\.created$/.test(hook)) return "added";
  return "changed";
}

export function forumLabel(hook) {
  return LABELS[hook] || String(hook || "Forum event");
}

/** Parsed details of an event by id; an event's body never changes, so each is asked for once. */
const details = new Map();

const text = (value) => (typeof value === "string" ? value.trim() : "");
const identifier = (value) => (typeof value === "number" || (typeof value === "string" && /^\d+$/.test(value)) ? String(value) : null);

/**
 * What a hook's raw body says: `{"hook", "created", "data": {...topic or comment...}}` →
 * `{kind: "topic"|"comment"|null, id, topicID, text, author, url}`. Anything missing is empty;
 * a body that is not JSON (or not UTF-8) gives `{unreadable: true}`.
 */
export function readHookBody(event) {
  if (event.raw_body_encoding && event.raw_body_encoding !== "utf8") return { unreadable: true };
  let body;
  try { body = JSON.parse(event.raw_body); } catch { return { unreadable: true }; }
  const data = body && typeof body === "object" && body.data && typeof body.data === "object" ? body.data : {};
  const hook = text(body?.hook) || event.event || "";
  const kind = hook.startsWith("topic.") ? "topic" : hook.startsWith("comment.") ? "comment" : null;
  const author = data.author && typeof data.author === "object" ? text(data.author.name) : "";
  return {
    kind,
    id: identifier(data.id),
    topicID: kind === "topic" ? identifier(data.id) : identifier(data.topic_id),
    text: kind === "comment" ? text(data.text) : text(data.header) || text(data.text),
    author,
    url: safeLinkURL(data.url),
  };
}

/**
 * The latest forum events with their details: `{events: [{summary, detail}], failure}`.
 * A failure of the list is returned (the card says so; the rest of the dashboard carries on);
 * a failed detail leaves that event without text and is tried again on the next refresh.
 */
export async function loadForumActivity(limit = FORUM_LIMIT) {
  const reply = await request(`/admin/api/events?source=userecho&limit=${limit}`);
  if (!reply.ok || !Array.isArray(reply.body?.events)) return { events: [], failure: reply };
  const summaries = reply.body.events.filter((event) => event.source === undefined || event.source === "userecho");
  await Promise.all(summaries.filter((event) => !details.has(event.id)).map(async (event) => {
    try {
      const one = await request(`/admin/api/events/${encodeURIComponent(event.id)}`);
      if (one.ok && one.body) details.set(event.id, readHookBody(one.body));
    } catch {
      // Offline for a moment: shown without its text, asked for again next time.
    }
  }));
  // Keep only what is shown.
  const shown = new Set(summaries.map((event) => event.id));
  for (const id of details.keys()) if (!shown.has(id)) details.delete(id);
  return { events: summaries.map((summary) => ({ summary, detail: details.get(summary.id) || null })), failure: null };
}

/** A string that changes when what the card shows changes (so a refresh redraws only then). */
export function forumSignature(events) {
  return events.map(({ summary, detail }) => `${summary.id}${detail ? "+" : "-"}`).join(",");
}

/** `Dec 2, 05:45` (with the year when it is not this year), short enough for a phone's row. */
function shortTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso || "–";
  const options = { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" };
  if (date.getFullYear() !== new Date().getFullYear()) options.year = "numeric";
  return date.toLocaleString(undefined, options);
}

/**
 * Draws the events into `list` (an `<ol>`). `localTime` formats an ISO time in full (the
 * time's tooltip).
 * @param {HTMLOListElement} list
 * @param {{summary: object, detail: object|null}[]} events newest first
 */
export function renderForumActivity(list, events, localTime) {
  if (events.length === 0) {
    list.replaceChildren(el("li", { className: "forum-empty muted", id: "forum-empty" }, "No forum activity yet — posts on the feedback forum appear here."));
    return;
  }
  // A comment's topic, when one of the shown events is about it.
  const headers = new Map();
  for (const { detail } of events) {
    if (detail?.kind === "topic" && detail.topicID && detail.text && !headers.has(detail.topicID)) headers.set(detail.topicID, detail.text);
  }
  list.replaceChildren(...events.map(({ summary, detail }) => forumItem(summary, detail, headers, localTime)));
}

function forumItem(summary, detail, headers, localTime) {
  const hook = summary.event;
  const deleted = /\.deleted$/.test(hook);
  const badge = el("span", { className: `forum-kind ${tone(hook)}` }, forumLabel(hook));
  badge.dataset.hook = hook;

  let what;
  if (!detail) {
    what = el("p", { className: "forum-text muted" }, "Details not loaded yet.");
  } else if (detail.unreadable) {
    what = el("p", { className: "forum-text muted" }, "The hook's body could not be read.");
  } else {
    const words = detail.text || (detail.kind === "comment" ? "(an empty comment)" : "(no header)");
    const quoted = detail.kind === "comment" ? `“${words}”` : words;
    const content = detail.url && !deleted
      ? el("a", { href: detail.url, rel: "noopener noreferrer", target: "_blank" }, quoted)
      : quoted;
    what = el("p", { className: `forum-text ${detail.kind === "comment" ? "comment" : "topic"}${deleted ? " deleted" : ""}` }, content);
  }

  const meta = [];
  if (detail && !detail.unreadable) {
    if (detail.kind === "comment" && detail.topicID) {
      const topic = headers.get(detail.topicID);
      meta.push(topic ? `on “${topic}”` : `on topic #${detail.topicID}`);
    }
    const who = detail.author || "someone";
    meta.push(deleted ? `posted by ${who}` : `by ${who}`);
  }
  const when = el("time", { datetime: summary.received_at, title: `Received ${localTime(summary.received_at)}` }, shortTime(summary.received_at));
  const item = el("li", { className: "forum-event", "data-event-id": summary.id },
    el("div", { className: "forum-line" }, badge, when),
    what,
    meta.length ? el("p", { className: "forum-meta" }, meta.join(" · ")) : null);
  item.dataset.hook = hook;
  return item;
}
