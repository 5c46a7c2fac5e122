// The start page: shows who is signed in (from /auth/me) or the sign-in buttons.
const signedOut = document.getElementById("signed-out");
const signedIn = document.getElementById("signed-in");

async function showUser() {
  const response = await fetch("/auth/session", { credentials: "same-origin", headers: { Accept: "application/json" } });
  const status = response.ok ? await response.json() : { signed_in: false };
  if (!status.signed_in) {
    signedOut.hidden = false;
    signedIn.hidden = true;
    return;
  }
  const user = status.user;
  document.getElementById("user-name").textContent = user.name;
  document.getElementById("user-full-name").textContent = user.full_name || "";
  const avatar = document.getElementById("avatar");
  if (user.thumbnail) {
    avatar.src = user.thumbnail;
    avatar.alt = `${user.name}'s avatar`;
  } else {
    avatar.hidden = true;
  }
  signedIn.hidden = false;
  signedOut.hidden = true;
}

document.getElementById("signout").addEventListener("click", async () => {
  await fetch("/auth/logout", { method: "POST", credentials: "same-origin" });
  await showUser();
});

showUser().catch(() => {
  signedOut.hidden = false;
});
