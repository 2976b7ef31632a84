// htmx drops 4xx answers by default; a refused vote (rate limit, stale form, unpublished tool)
// says why in the form's status line instead. The server marks such answers and retargets them.
document.addEventListener("htmx:beforeSwap", function (event) {
  var xhr = event.detail.xhr;
  if (xhr.status >= 400 && xhr.status < 500 && xhr.getResponseHeader("X-Vote-Refused")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
