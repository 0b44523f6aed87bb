/* A chat room: the socket of /ws/chat/<room>/ (protocol in docs/api.md), its reconnection
   with back-off and gap fill (?after=<the last seq received in order>), the composer, typing,
   presence, read receipts, edit and delete of one's own messages, older history on scroll.
   Messages are sent with a client_id: resending after a reconnection stores nothing twice. */

const root = document.querySelector("[data-chat-room]");
if (root) start(root);

function start(root) {
  const strings = root.querySelector("[data-strings]").dataset;
  const list = root.querySelector("[data-messages]");
  const scroller = root.querySelector("[data-scroll]");
  const form = root.querySelector("[data-composer]");
  const input = root.querySelector("[data-body]");
  const statusBox = root.querySelector("[data-status]");
  const errorBox = root.querySelector("[data-error]");
  const typingBox = root.querySelector("[data-typing]");
  const onlineBox = root.querySelector("[data-online]");
  const receiptBox = root.querySelector("[data-receipt]");
  const emptyBox = root.querySelector("[data-empty]");
  const moreBox = root.querySelector("[data-more]");
  const me = root.dataset.me;
  const roomId = Number(root.dataset.chatRoom);
  const receipts = root.dataset.receipts === "1";
  const historyUrl = "/api/v1/chat/rooms/" + roomId + "/messages";

  let contiguous = Number(root.dataset.lastSeq) || 0; // every seq up to this one is shown
  const received = new Set();
  const outbox = new Map(); // client_id -> body, until acknowledged
  const readMarks = new Map(); // username -> seq
  const online = new Map(); // username -> state
  let socket = null;
  let reconnectTimer = null;
  let attempts = 0;
  let closedForGood = false;
  let lastTyping = 0;
  let typingTimer = null;
  let readSent = Number(root.dataset.readSeq) || 0;
  let loadingOlder = false;

  list.querySelectorAll("[data-seq]").forEach((item) => {
    received.add(Number(item.dataset.seq));
    decorate(item);
    const time = item.querySelector("time");
    if (time) time.textContent = formatTime(time.dateTime); // the reader's time zone
  });
  const marks = document.getElementById("chat-read-marks");
  if (marks) JSON.parse(marks.textContent).forEach(([name, seq]) => readMarks.set(name, seq));
  scrollToEnd();
  renderReceipt();

  function socketUrl() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    return scheme + location.host + root.dataset.socketPath + "?after=" + contiguous;
  }

  function connect() {
    window.clearTimeout(reconnectTimer);
    reconnectTimer = null;
    socket = new WebSocket(socketUrl());
    socket.addEventListener("open", () => {
      attempts = 0;
      statusBox.hidden = true;
      for (const [clientId, body] of outbox) send({ type: "message", body, client_id: clientId });
      markRead();
    });
    socket.addEventListener("message", (event) => {
      let frame;
      try { frame = JSON.parse(event.data); } catch (error) { return; }
      handle(frame);
    });
    socket.addEventListener("close", (event) => {
      socket = null;
      if (event.code === 4401 || event.code === 4403) {
        closedForGood = true;
        showError(strings.closed);
        form.querySelector("button").disabled = true;
        input.disabled = true;
        statusBox.hidden = true;
        return;
      }
      statusBox.hidden = false;
      // 0.5 s, 1 s, 2 s … up to 30 s, with jitter so that a restarted server is not stampeded.
      const delay = Math.min(30000, 500 * 2 ** attempts) * (0.5 + Math.random() / 2);
      attempts += 1;
      reconnectTimer = window.setTimeout(connect, delay);
    });
  }

  function send(frame) {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify(frame));
      return true;
    }
    return false;
  }

  function handle(frame) {
    switch (frame.type) {
      case "message": return addMessage(frame);
      case "edited": return updateMessage(frame, { edited: true });
      case "deleted": return updateMessage(frame, { deleted: true });
      case "typing": return showTyping(frame.user);
      case "read":
        readMarks.set(frame.user.username, frame.seq);
        return renderReceipt();
      case "presence": return updatePresence(frame);
      case "error": return showError(frame.message);
      case "notification":
      case "feed":
        if (window.TerritoryLive) window.TerritoryLive.handle(frame);
        return undefined;
      default: return undefined;
    }
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function formatTime(iso) {
    const date = new Date(iso);
    const pad = (n) => String(n).padStart(2, "0");
    return pad(date.getDate()) + "/" + pad(date.getMonth() + 1) + " " + pad(date.getHours()) + ":" + pad(date.getMinutes());
  }

  function messageItem(frame) {
    const item = element("li", "chat-message" + (frame.author.username === me ? " chat-message--mine" : ""));
    item.id = "m" + frame.seq;
    item.dataset.seq = frame.seq;
    item.dataset.id = frame.id;
    item.dataset.author = frame.author.username;
    if (frame.deleted || frame.hidden) item.dataset.gone = "1";
    const meta = element("div", "chat-message__meta");
    meta.append(element("span", "chat-message__author", frame.author.display_name), " ");
    const time = element("time", "", formatTime(frame.created_at));
    time.dateTime = frame.created_at;
    meta.append(time);
    if (frame.edited_at) meta.append(" ", element("span", "chat-message__edited", strings.edited));
    const body = element("div", "chat-message__body");
    setBody(body, frame);
    item.append(meta, body);
    decorate(item);
    return item;
  }

  function setBody(body, frame) {
    if (frame.deleted || frame.hidden) {
      body.replaceChildren(element("em", "", frame.hidden ? strings.hidden : strings.deleted));
    } else {
      body.innerHTML = frame.body; // sanitised by the server (core/sanitizer.py)
    }
  }

  function decorate(item) {
    if (item.dataset.gone || item.querySelector(".chat-message__actions")) return;
    if (item.dataset.author !== me) {
      const report = element("a", "", strings.report);
      report.href = strings.reportUrl.replace("/0/", "/" + item.dataset.id + "/");
      report.rel = "nofollow";
      const box = element("div", "chat-message__actions");
      box.append(report);
      item.append(box);
      return;
    }
    const actions = element("div", "chat-message__actions");
    const edit = element("button", "link-button", strings.edit);
    edit.type = "button";
    edit.addEventListener("click", () => startEdit(item));
    const remove = element("button", "link-button", strings.delete);
    remove.type = "button";
    remove.addEventListener("click", () => {
      if (window.confirm(strings.confirmDelete)) send({ type: "delete", id: Number(item.dataset.id) });
    });
    actions.append(edit, remove);
    item.append(actions);
  }

  function startEdit(item) {
    const body = item.querySelector(".chat-message__body");
    if (item.querySelector("textarea")) return;
    const editor = element("form", "chat-message__editor");
    const area = element("textarea");
    area.value = body.textContent;
    area.rows = 2;
    area.setAttribute("aria-label", strings.edit);
    const save = element("button", "button button--small", strings.save);
    save.type = "submit";
    const cancel = element("button", "link-button", strings.cancel);
    cancel.type = "button";
    cancel.addEventListener("click", () => editor.remove());
    editor.append(area, save, cancel);
    editor.addEventListener("submit", (event) => {
      event.preventDefault();
      if (area.value.trim()) send({ type: "edit", id: Number(item.dataset.id), body: area.value });
      editor.remove();
    });
    body.after(editor);
    area.focus();
  }

  function addMessage(frame) {
    if (frame.room !== roomId) return;
    const pending = outbox.has(frame.client_id) ? document.getElementById("pending-" + frame.client_id) : null;
    outbox.delete(frame.client_id);
    if (received.has(frame.seq)) {
      if (pending) pending.remove();
      return;
    }
    received.add(frame.seq);
    while (received.has(contiguous + 1)) contiguous += 1;
    const stick = nearEnd() || frame.author.username === me;
    const item = messageItem(frame);
    if (pending) pending.replaceWith(item);
    else insertInOrder(item);
    emptyBox.hidden = true;
    if (frame.seq > contiguous + 1) fillGap();
    if (stick) scrollToEnd();
    if (frame.author.username === me) readMarks.set(me, frame.seq);
    typingBox.textContent = "";
    markRead();
    renderReceipt();
  }

  function insertInOrder(item) {
    const seq = Number(item.dataset.seq);
    const after = [...list.querySelectorAll("[data-seq]")].reverse().find((other) => Number(other.dataset.seq) < seq);
    if (after) after.after(item);
    else list.prepend(item);
    // Messages still waiting for their acknowledgement stay last.
    list.querySelectorAll(".chat-message--pending").forEach((node) => list.append(node));
  }

  function fillGap() {
    fetch(historyUrl + "?after=" + contiguous + "&limit=200", { credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : null))
      .then((page) => { if (page) page.items.forEach(addMessage); })
      .catch(() => {});
  }

  function updateMessage(frame, change) {
    const item = document.getElementById("m" + frame.seq);
    if (!item) return;
    const body = item.querySelector(".chat-message__body");
    if (change.deleted) {
      setBody(body, { deleted: true, hidden: frame.hidden });
      const actions = item.querySelector(".chat-message__actions");
      if (actions) actions.remove();
      item.dataset.gone = "1";
    } else {
      setBody(body, frame);
      if (!item.querySelector(".chat-message__edited")) {
        item.querySelector(".chat-message__meta").append(" ", element("span", "chat-message__edited", strings.edited));
      }
    }
  }

  function showTyping(user) {
    if (user.username === me) return;
    typingBox.textContent = strings.typingOne.replace("__name__", user.display_name);
    window.clearTimeout(typingTimer);
    typingTimer = window.setTimeout(() => { typingBox.textContent = ""; }, 4000);
  }

  function updatePresence(frame) {
    if (frame.online) {
      online.clear();
      frame.online.forEach((entry) => online.set(entry.username, entry.state));
    } else if (frame.user) {
      if (frame.state === "offline") online.delete(frame.user.username);
      else online.set(frame.user.username, frame.state);
    }
    const names = [...online].filter(([name]) => name !== me)
      .map(([name, state]) => (state === "away" ? name + " (" + strings.away + ")" : name));
    onlineBox.textContent = names.length ? strings.onlineLabel + " " + names.join(", ") : "";
  }

  function renderReceipt() {
    if (!receipts) return;
    const mine = [...list.querySelectorAll(".chat-message--mine[data-seq]")].pop();
    if (!mine) { receiptBox.hidden = true; return; }
    const seq = Number(mine.dataset.seq);
    const seen = [...readMarks].filter(([name, mark]) => name !== me && mark >= seq).map(([name]) => name);
    receiptBox.hidden = !seen.length;
    receiptBox.textContent = strings.seenBy.replace("__names__", seen.join(", "));
  }

  function markRead() {
    if (document.hidden || contiguous <= readSent) return;
    if (send({ type: "read", seq: contiguous })) {
      readSent = contiguous;
      const badge = document.querySelector("[data-room-link='" + roomId + "'] .chat-rooms__unread");
      if (badge) badge.remove();
    }
  }

  function nearEnd() {
    return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
  }

  function scrollToEnd() {
    scroller.scrollTop = scroller.scrollHeight;
  }

  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = false;
    window.setTimeout(() => { errorBox.hidden = true; }, 6000);
  }

  function submit() {
    const body = input.value.trim();
    if (!body || closedForGood) return;
    const clientId = newId();
    outbox.set(clientId, body);
    const pending = messageItem({
      id: 0, seq: 0, room: roomId, client_id: clientId, body: "",
      author: { username: me, display_name: "" }, created_at: new Date().toISOString(),
    });
    pending.id = "pending-" + clientId;
    pending.classList.add("chat-message--pending");
    pending.querySelector(".chat-message__body").textContent = body;
    const actions = pending.querySelector(".chat-message__actions");
    if (actions) actions.remove();
    list.append(pending);
    emptyBox.hidden = true;
    scrollToEnd();
    input.value = "";
    send({ type: "message", body, client_id: clientId });
  }

  function loadOlder() {
    const first = list.querySelector("[data-seq]:not([data-seq='0'])");
    if (loadingOlder || !first) return;
    loadingOlder = true;
    const before = scroller.scrollHeight;
    fetch(historyUrl + "?before=" + first.dataset.seq + "&limit=50", { credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : null))
      .then((page) => {
        if (!page) return;
        page.items.slice().reverse().forEach((frame) => {
          if (received.has(frame.seq)) return;
          received.add(frame.seq);
          list.prepend(messageItem(frame));
        });
        moreBox.hidden = !page.has_more;
        scroller.scrollTop += scroller.scrollHeight - before;
      })
      .catch(() => {})
      .finally(() => { loadingOlder = false; });
  }

  form.addEventListener("submit", (event) => { event.preventDefault(); submit(); });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    }
  });
  input.addEventListener("input", () => {
    const now = Date.now();
    if (now - lastTyping > 3000 && input.value.trim()) {
      lastTyping = now;
      send({ type: "typing" });
    }
  });
  scroller.addEventListener("scroll", () => {
    if (scroller.scrollTop < 40 && !moreBox.hidden) loadOlder();
    if (nearEnd()) markRead();
  });
  root.querySelector("[data-load-older]").addEventListener("click", loadOlder);
  document.addEventListener("visibilitychange", () => {
    send({ type: "presence", state: document.hidden ? "away" : "online" });
    markRead();
  });
  window.setInterval(() => send({ type: "presence", state: document.hidden ? "away" : "online" }), 30000);
  // Back on the network: no need to wait for the back-off.
  window.addEventListener("online", () => { if (!socket && !closedForGood) connect(); });
  connect();
}
