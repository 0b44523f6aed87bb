/* Feed enhancements (the pages work without them):
   - the "N new posts — show" indicator asks /feed/new-count/ when the page's live socket
     says that a post was published (realtime/static/realtime/live.js), and when the tab
     becomes visible again;
   - reaction buttons toggle without reloading the page. */
(function () {
  "use strict";

  function setupNewPosts() {
    var box = document.querySelector("[data-new-posts]");
    if (!box || !box.dataset.since || !window.fetch) return;
    var link = box.querySelector("[data-new-posts-link]");
    var one = box.querySelector("[data-new-posts-one]");
    var many = box.querySelector("[data-new-posts-many]");

    function show(count, more) {
      if (!count) return;
      var template = count === 1 ? one : many;
      link.textContent = template.content.textContent.trim().replace("__count__", more ? count + "+" : count);
      box.hidden = false;
    }

    function poll() {
      var url = box.dataset.url + "?since=" + encodeURIComponent(box.dataset.since);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { if (data) show(data.count, data.more); })
        .catch(function () { /* offline for a moment: the next poll tries again */ });
    }

    // Several posts in a burst ask once.
    var pending = null;
    document.addEventListener("territory:new-post", function () {
      if (!pending) pending = window.setTimeout(function () { pending = null; poll(); }, 1000);
    });
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden) poll();
    });
  }

  function setupReactions() {
    if (!window.fetch || !window.FormData) return;
    // One form per post, one <button name="kind" value="..."> per reaction: the button
    // pressed says which reaction (event.submitter; the last one clicked where unsupported).
    var clicked = null;
    document.addEventListener("click", function (event) {
      var target = event.target.closest ? event.target.closest("[data-reaction-form] button[name=kind]") : null;
      if (target) clicked = target;
    });
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form.matches || !form.matches("[data-reaction-form]")) return;
      var button = event.submitter || clicked;
      if (!button || button.form !== form || !button.value) return; // let the browser post it
      event.preventDefault();
      var body = new FormData(form);
      body.set("kind", button.value);
      button.disabled = true;
      fetch(form.action, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { Accept: "application/json" }
      })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (data) {
          form.querySelectorAll("button[data-kind]").forEach(function (other) {
            var count = other.querySelector("[data-count]");
            if (count) count.textContent = data.counts[other.dataset.kind] || "";
          });
          button.classList.toggle("reaction--mine", data.given);
          button.setAttribute("aria-pressed", data.given ? "true" : "false");
          button.disabled = false;
        })
        .catch(function () {
          // Let the server answer the usual way (error page, log-in, ...): a hidden field
          // carries the kind, since form.submit() sends no button.
          button.disabled = false;
          var kind = document.createElement("input");
          kind.type = "hidden";
          kind.name = "kind";
          kind.value = button.value;
          form.appendChild(kind);
          form.submit();
        });
    });
  }

  setupNewPosts();
  setupReactions();
})();
