// The portal's only script: copy buttons and confirmations. Everything works without it
// except copying (forms still submit; deletions then go without a confirmation).
"use strict";
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const text = button.dataset.copy;
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const area = document.createElement("textarea");
    area.value = text;
    document.body.append(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
  document.body.dataset.copied = text;
  button.classList.add("copied");
  setTimeout(() => button.classList.remove("copied"), 1500);
});
document.addEventListener("submit", (event) => {
  const message = event.target.dataset && event.target.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});
// Live pages: a table body with data-live="<websocket URL>" is redrawn from each message of
// the server's job feed (text only, never HTML). Without JavaScript the page is simply static.
(function live() {
  const body = document.querySelector("tbody[data-live]");
  if (!body || !window.WebSocket) return;
  const state = document.querySelector("[data-live-state]");
  const fields = ["kind", "name", "status", "detail", "updated"];
  const labels = Array.from(body.closest("table").querySelectorAll("thead th"), (th) => th.textContent);
  function draw(jobs) {
    body.replaceChildren();
    if (!jobs.length) {
      const cell = document.createElement("td");
      cell.colSpan = fields.length;
      cell.className = "empty";
      cell.textContent = body.dataset.empty;
      body.append(document.createElement("tr"));
      body.lastChild.append(cell);
      return;
    }
    for (const job of jobs) {
      const row = document.createElement("tr");
      row.dataset.job = job.id;
      fields.forEach((field, index) => {
        const cell = document.createElement("td");
        cell.dataset.label = labels[index] || field;
        cell.textContent = job[field];
        row.append(cell);
      });
      body.append(row);
    }
  }
  let delay = 1000;
  function connect() {
    const socket = new WebSocket(body.dataset.live);
    socket.onopen = () => { delay = 1000; if (state) state.dataset.connected = "true"; };
    socket.onmessage = (event) => {
      const message = JSON.parse(event.data);
      if (message.type === "jobs") { draw(message.jobs); document.body.dataset.liveUpdates = String(Number(document.body.dataset.liveUpdates || 0) + 1); }
    };
    socket.onclose = () => {
      if (state) state.dataset.connected = "false";
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    };
  }
  connect();
})();
