/* Live notifications on every page of a signed-in member, over ONE socket: /ws/member/
   (docs/api.md, "Sockets"). A notification bumps the header's unread badge and shows a small
   toast; the feed's "new posts" banner is told of new posts (network-feed.js listens to the
   "territory:new-post" event); /chat/'s rooms list hears its rooms' new messages. A chat room's page already has its room socket, which carries
   the same frames: there this module opens nothing and chat.js hands it the frames. */
(function () {
  "use strict";

  var config = document.querySelector("[data-live]");
  if (!config || !window.WebSocket) return;
  var strings = config.dataset;
  var region = null;

  function badge() {
    var bell = document.querySelector("[data-testid=notifications-link]");
    if (!bell) return;
    var count = bell.querySelector(".notification-bell__count");
    if (!count) {
      count = document.createElement("span");
      count.className = "notification-bell__count";
      count.dataset.testid = "notifications-unread";
      count.innerHTML = '<span aria-hidden="true">0</span>';
      bell.appendChild(count);
      bell.classList.add("notification-bell--unread");
    }
    var number = count.querySelector("[aria-hidden]");
    var value = parseInt(number.textContent, 10) || 0;
    number.textContent = value >= 99 ? "99+" : String(value + 1);
  }

  function toast(frame) {
    if (!region) {
      region = document.createElement("div");
      region.className = "live-toasts";
      region.setAttribute("role", "status");
      region.setAttribute("aria-live", "polite");
      document.body.appendChild(region);
    }
    var item = document.createElement("a");
    item.className = "live-toast";
    item.dataset.testid = "live-toast";
    item.href = frame.url || config.dataset.notificationsUrl;
    var kinds = { mention: strings.mention, chat_mention: strings.chatMention, reply: strings.reply };
    item.textContent = kinds[frame.kind] || strings.generic;
    region.appendChild(item);
    window.setTimeout(function () { item.remove(); }, 8000);
  }

  // A new message in one of the member's rooms, on /chat/'s rooms list: its unread count
  // (others' messages only), its last message, and the room moved to the top.
  function roomActivity(frame) {
    var list = document.querySelector("[data-chat-rooms]");
    var link = list && list.querySelector("[data-room-link='" + Number(frame.room) + "']");
    if (!link) return;
    if (frame.author && frame.author.username !== list.dataset.me) {
      var unread = link.querySelector(".chat-rooms__unread");
      if (!unread) {
        unread = document.createElement("span");
        unread.className = "chat-rooms__unread";
        unread.dataset.testid = "room-unread";
        unread.innerHTML = '<span aria-hidden="true">0</span><span class="visually-hidden"></span>';
        link.querySelector(".chat-rooms__title").after(unread);
      }
      var shown = unread.querySelector("[aria-hidden]");
      var count = (parseInt(shown.textContent, 10) || 0) + 1;
      shown.textContent = String(count);
      unread.querySelector(".visually-hidden").textContent =
        list.dataset.unreadLabel.replace("__count__", String(count));
    }
    var last = link.querySelector(".chat-rooms__last");
    if (last) {
      // The body is the server's sanitised HTML: only its text is shown here.
      var text = new DOMParser().parseFromString(frame.body || "", "text/html").body.textContent || "";
      if (text.length > 70) text = text.slice(0, 69) + "\u2026";
      var name = document.createElement("strong");
      name.textContent = (frame.author ? frame.author.display_name : "") + "\u00a0:";
      last.replaceChildren(name, document.createTextNode(" " + text));
    }
    var item = link.closest("li");
    if (item && item.parentNode.firstElementChild !== item) item.parentNode.prepend(item);
  }

  function handle(frame) {
    if (frame.type === "notification") {
      badge();
      toast(frame);
    } else if (frame.type === "feed" && frame.event === "new_post") {
      document.dispatchEvent(new CustomEvent("territory:new-post"));
    } else if (frame.type === "message") {
      roomActivity(frame);
    }
  }

  window.TerritoryLive = { handle: handle };
  if (document.querySelector("[data-chat-room]")) return; // chat.js's socket carries these

  var socket = null;
  var attempts = 0;
  var timer = null;

  function connect() {
    window.clearTimeout(timer);
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + "/ws/member/");
    socket.addEventListener("open", function () {
      attempts = 0;
      if (document.querySelector("[data-new-posts]")) {
        socket.send(JSON.stringify({ type: "subscribe", topic: "feed" }));
      }
      if (document.querySelector("[data-chat-rooms]")) {
        socket.send(JSON.stringify({ type: "subscribe", topic: "rooms" }));
      }
    });
    socket.addEventListener("message", function (event) {
      try { handle(JSON.parse(event.data)); } catch (error) { /* not for us */ }
    });
    socket.addEventListener("close", function (event) {
      socket = null;
      if (event.code === 4401 || event.code === 4403) return; // signed out: stay closed
      var delay = Math.min(60000, 1000 * Math.pow(2, attempts)) * (0.5 + Math.random() / 2);
      attempts += 1;
      timer = window.setTimeout(connect, delay);
    });
  }

  function heartbeat() {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ type: "presence", state: document.hidden ? "away" : "online" }));
    }
  }

  document.addEventListener("visibilitychange", heartbeat);
  window.setInterval(heartbeat, 30000);
  window.addEventListener("online", function () { if (!socket) connect(); });
  connect();
})();
