// The token flow's landing page: Thingiverse put the token in the URL fragment, which only this
// page can read. Take it out of the address bar at once, then hand it to ThingBridge, which
// checks it with tokeninfo and keeps it server-side in the session.
const status = document.getElementById("status");
const fragment = new URLSearchParams(window.location.hash.slice(1));
history.replaceState(null, "", window.location.pathname);

async function finish() {
  const accessToken = fragment.get("access_token");
  const state = fragment.get("state");
  if (!accessToken) {
    status.textContent = "Thingiverse did not send a token back, so you are not signed in.";
    return;
  }
  if (!state) {
    status.textContent = "Thingiverse did not send back the sign-in state, so ThingBridge cannot tell that this sign-in was started here.";
    return;
  }
  const response = await fetch("/auth/token", {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "Accept": "application/json" },
    body: JSON.stringify({ access_token: accessToken, state }),
  });
  const reply = await response.json().catch(() => ({}));
  if (response.ok && typeof reply.return_to === "string" && reply.return_to.startsWith("/")) {
    window.location.replace(reply.return_to);
  } else {
    status.textContent = reply.message || "The sign-in did not work. Please try again.";
    const again = document.createElement("a");
    again.href = "/auth/login?flow=token";
    again.textContent = "Sign in again";
    again.className = "button";
    status.after(again);
  }
}

finish().catch(() => {
  status.textContent = "ThingBridge could not be reached. Please try again.";
});
