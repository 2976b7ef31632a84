// The forms htmx answers in place (votes, picks, the signup, the cost calculator) must leave every
// reader where they were: shown the answer, focus kept, the result announced.
(function () {
  var focusedBeforeSwap = null;

  // htmx 2 drops 4xx answers. A refusal the reader must see (a rate limit, a bad address, a stale
  // form) is marked by the server naming its swap with HX-Reswap; those are shown in place.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr.status >= 400 && xhr.status < 500 && xhr.getResponseHeader("HX-Reswap")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
    focusedBeforeSwap = document.activeElement;
  });

  // Screen readers announce changes to a live region that was already on the page, not one that
  // arrives inside swapped content, so the announcer lives outside every swap target.
  var announcer = document.createElement("p");
  announcer.id = "live-status";
  announcer.className = "visually-hidden";
  announcer.setAttribute("role", "status");
  announcer.setAttribute("aria-live", "polite");
  document.body.appendChild(announcer);

  function announce(text) {
    // Emptied first so that the same sentence twice in a row is still read out.
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 50);
  }

  // htmx fires afterSettle once for each settled element, all with one detail object.
  document.addEventListener("htmx:afterSettle", function (event) {
    var detail = event.detail;
    if (detail.announced || !detail.target) return;
    detail.announced = true;
    var target = detail.target;
    var root = target.isConnected ? target : document.getElementById(target.id);
    if (!root) return;
    var messages = root.matches("[data-announce]") ? [root] : Array.from(root.querySelectorAll("[data-announce]"));
    if (messages.length) {
      announce(messages.map(function (message) { return message.textContent.replace(/\s+/g, " ").trim(); }).join(" "));
    }
    // htmx gives focus back to a control of the same id; when the pressed one is gone (a withdrawn
    // vote, a signup that succeeded) focus goes to the result instead of the top of the page.
    var lost = !document.activeElement || document.activeElement === document.body;
    if (lost && focusedBeforeSwap && !focusedBeforeSwap.isConnected) {
      var fallback = messages[0] || root;
      fallback.setAttribute("tabindex", "-1");
      fallback.focus();
    }
    focusedBeforeSwap = null;
  });
})();
