// The Car Connector screen: the car over ssh — status, pull tubs, push pilots, drive.
// Server side: burro/ui/car/handlers.py (routes under /api/car/); docs/ui-car.md.

const FORMATS = [".tflite", ".onnx", ".keras", ".h5"];
const SETTINGS = [
  ["user", "PI_USERNAME", "pi"], ["host", "PI_HOSTNAME", "donkeypi.local"],
  ["car_dir", "PI_CAR_DIR", "~/mycar"], ["port", "PI_SSH_PORT", "22"],
  ["identity", "PI_SSH_IDENTITY", "ssh's default key"],
  ["ssh_config", "PI_SSH_CONFIG", "~/.ssh/config"], ["python", "PI_PYTHON", "~/env/bin/python"],
];

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "class") node.className = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
}

function size(kb) {
  if (kb == null) return "?";
  return kb >= 1024 ? `${(kb / 1024).toFixed(1)} MB` : `${kb} kB`;
}

const TEMPLATE = `
<div class="car-grid">
  <div class="panel car-settings">
    <h3>Car <span id="car_status" class="car-status waiting">Awaiting connection</span></h3>
    <p id="car_status_message" class="car-dim"></p>
    <form id="car_settings"></form>
    <div class="car-row">
      <label><input type="checkbox" id="car_save"> save into myconfig.py</label>
      <button id="car_apply" type="button">Apply</button>
    </div>
  </div>
  <div class="panel">
    <h3>Pull tubs <small class="car-dim">car's data/ → this computer's data/</small></h3>
    <table><thead><tr><th></th><th>tub on the car</th><th>size</th><th>images</th></tr></thead>
      <tbody id="car_tubs"></tbody></table>
    <div class="car-row">
      <button id="car_refresh" type="button">Refresh</button>
      <button id="car_pull" type="button" class="primary">Pull</button>
      <button id="car_open_pulled" type="button" hidden>Open the pulled tubs</button>
    </div>
    <progress id="car_pull_progress" max="100" value="0" hidden></progress>
    <p id="car_pull_text" class="car-dim"></p>
  </div>
  <div class="panel">
    <h3>Push pilots <small class="car-dim">this computer's models/ → car's models/</small></h3>
    <table><thead><tr><th></th><th>pilot here</th><th>formats</th></tr></thead>
      <tbody id="car_pilots"></tbody></table>
    <div class="car-row" id="car_formats"></div>
    <div class="car-row">
      <label><input type="checkbox" id="car_database" checked> database.json</label>
      <button id="car_push" type="button" class="primary">Push</button>
    </div>
    <progress id="car_push_progress" max="100" value="0" hidden></progress>
    <p id="car_push_text" class="car-dim"></p>
  </div>
  <div class="panel car-drive">
    <h3>Drive the car <small class="car-dim">manage.py drive on the car</small></h3>
    <div class="car-row">
      <label>pilot <select id="car_drive_pilot"></select></label>
      <label>type <input id="car_drive_type" placeholder="the pilot's own" size="14"></label>
      <button id="car_drive" type="button" class="primary">Drive</button>
      <button id="car_stop" type="button" class="danger" disabled>Stop</button>
      <span id="car_drive_state" class="car-dim"></span>
      <a id="car_web_link" target="_blank" rel="noopener" hidden>the car's web controller</a>
    </div>
    <pre id="car_output" class="car-output"></pre>
  </div>
</div>`;

export async function mount(section, api) {
  const style = element("link", { rel: "stylesheet", href: api.withToken("static/car/car.css") });
  document.head.append(style);
  section.innerHTML = TEMPLATE;
  const $ = (id) => section.querySelector("#" + id);
  const jobs = new Map();  // id -> summary
  let pulledTubs = [];

  // ----- settings and status ------------------------------------------------------------------
  const form = $("car_settings");
  for (const [name, key, placeholder] of SETTINGS) {
    form.append(element("label", {}, element("span", {}, key),
                        element("input", { id: `car_${name}`, name, placeholder })));
  }

  async function loadSettings() {
    const { settings, error } = await api.get("/api/car/settings");
    for (const [name] of SETTINGS) $(`car_${name}`).value = settings[name] ?? "";
    if (error) api.status(error, true);
  }

  async function applySettings() {
    const settings = {};
    for (const [name] of SETTINGS) {
      const value = $(`car_${name}`).value.trim();
      settings[name] = name === "port" ? Number(value) : value;
    }
    try {
      await api.put("/api/car/settings", { settings, save: $("car_save").checked });
      api.status($("car_save").checked ? "car settings saved into myconfig.py"
                                       : "car settings applied");
      await checkStatus();
      await refreshRemote();
    } catch (error) { api.status(error.message, true); }
  }

  async function checkStatus() {
    let status;
    try { status = await api.get("/api/car/status"); } catch (error) {
      status = { state: "disconnected", target: "?", message: error.message };
    }
    const badge = $("car_status");
    badge.className = "car-status " + status.state;
    badge.textContent = status.state === "connected" ? `Connected to ${status.target}`
                                                       : `Disconnected from ${status.target}`;
    $("car_status_message").textContent = status.message || "";
    return status;
  }

  // ----- the car's tubs and pilots, this computer's pilots ------------------------------------
  async function refreshRemote() {
    const body = $("car_tubs");
    const select = $("car_drive_pilot");
    try {
      const listing = await api.get("/api/car/remote");
      body.replaceChildren(...listing.tubs.map((tub) => element("tr", {},
        element("td", {}, element("input", { type: "checkbox", value: tub.name,
                                             "aria-label": `pull ${tub.name}` })),
        element("td", {}, tub.name === "." ? "data/ (the data folder is one tub)" : tub.name),
        element("td", {}, size(tub.kb)), element("td", {}, String(tub.images ?? "?")))));
      if (!listing.tubs.length) {
        body.append(element("tr", {}, element("td", { colspan: 4 }, "no tubs on the car")));
      }
      if (!listing.manage && $("car_stop").disabled) {  // not driving: say why Drive would fail
        $("car_drive_state").textContent = `no manage.py in ${listing.car_dir} on the car (PI_CAR_DIR)`;
      }
      const chosen = select.value;
      select.replaceChildren(element("option", { value: "" }, "No pilot"),
        ...listing.pilots.filter((p) => FORMATS.some((f) => p.name.endsWith(f)))
          .map((p) => element("option", { value: p.name }, p.name)));
      if ([...select.options].some((o) => o.value === chosen)) select.value = chosen;
    } catch (error) {
      body.replaceChildren(element("tr", {}, element("td", { colspan: 4, class: "error" },
                                                        error.message)));
    }
  }

  async function refreshLocal() {
    const local = await api.get("/api/car/local");
    const body = $("car_pilots");
    body.replaceChildren(...local.pilots.map((pilot) => element("tr", {},
      element("td", {}, element("input", { type: "checkbox", value: pilot.name,
                                           "aria-label": `push ${pilot.name}` })),
      element("td", {}, pilot.name),
      element("td", {}, pilot.formats.join(" ") + (pilot.json ? " + .json" : "")))));
    if (!local.car_dir) {
      body.append(element("tr", {}, element("td", { colspan: 3 },
                                            "open the car folder on this computer first")));
    } else if (!local.pilots.length) {
      body.append(element("tr", {}, element("td", { colspan: 3 }, `no pilots in ${local.models_dir}`)));
    }
  }

  const formats = $("car_formats");
  for (const format of FORMATS) {
    formats.append(element("label", {}, element("input", {
      type: "checkbox", value: format, id: `car_format_${format.slice(1)}`,
      ...(format === ".tflite" || format === ".onnx" ? { checked: "" } : {}) }), format));
  }

  const ticked = (id) => [...$(id).querySelectorAll("input:checked")].map((box) => box.value);

  // ----- jobs ---------------------------------------------------------------------------------
  async function start(path, body) {
    try {
      const job = await api.post(path, body);
      jobs.set(job.id, job);
      show(job);
      return job;
    } catch (error) { api.status(error.message, true); return null; }
  }

  function show(job) {
    if (job.kind === "pull" || job.kind === "push") {
      const bar = $(`car_${job.kind}_progress`);
      const text = $(`car_${job.kind}_text`);
      const progress = job.progress || { percent: 0 };
      bar.hidden = false;
      bar.value = job.state === "done" ? 100 : progress.percent;
      const eta = job.state === "running" ? ` · ${progress.eta} left` : "";
      const speed = progress.speed ? ` · ${progress.speed}${eta}` : "";
      text.textContent = `${job.title}: ${job.state} ${bar.value}%${speed}`;
      text.classList.toggle("error", job.state === "failed");
      $(`car_${job.kind}`).disabled = job.state === "running";
      if (job.state === "failed" && job.lines) text.textContent += " — " + job.lines.slice(-1)[0];
      if (job.kind === "pull" && job.state === "done") {
        pulledTubs = job.result.tubs || [];
        $("car_open_pulled").hidden = !pulledTubs.length;
      }
    } else if (job.kind === "drive") {
      const running = job.state === "running";
      $("car_drive").disabled = running;
      $("car_stop").disabled = !running;
      if (!running) $("car_web_link").hidden = true;
      $("car_drive_state").textContent = `${job.title}: ${job.state}` +
        (job.pid ? ` (PID ${job.pid} on the car)` : "") +
        (job.returncode != null ? `, exit ${job.returncode}` : "");
    }
  }

  function addLine(message) {
    const job = jobs.get(message.id);
    if (message.kind !== "drive") {
      if (job) job.lines = [...(job.lines || []), message.line].slice(-5);
      return;
    }
    const output = $("car_output");
    const atEnd = output.scrollTop + output.clientHeight >= output.scrollHeight - 4;
    output.append(message.line + "\n");
    const web = /^web controller: (https?:\/\/\S+)/.exec(message.line);
    if (web) { $("car_web_link").href = web[1]; $("car_web_link").hidden = false; }
    while (output.childNodes.length > 2000) output.firstChild.remove();
    if (atEnd) output.scrollTop = output.scrollHeight;
    if (job && !job.pid && message.line.startsWith("PID: ")) {
      job.pid = Number(message.line.slice(5));
      show(job);
    }
  }

  function connect() {
    const socket = api.socket("/api/car/socket");
    socket.onmessage = (event) => {
      const message = JSON.parse(event.data);
      if (message.jobs) {
        for (const job of message.jobs) {
          jobs.set(job.id, job);
          show(job);
          if (job.kind === "drive") {  // the last drive's output, also after a reload
            $("car_output").textContent = (job.lines || []).join("\n") + "\n";
          }
        }
      } else if (message.line !== undefined) {
        addLine(message);
      } else if (message.progress) {
        const job = jobs.get(message.id);
        if (job) { job.progress = message.progress; show(job); }
      } else if (message.job) {
        const job = { ...(jobs.get(message.id) || {}), ...message.job };
        jobs.set(job.id, job);
        show(job);
        if (job.state !== "running") finished(job);
      }
    };
    socket.onclose = () => setTimeout(connect, 2000);
  }

  function finished(job) {
    const failed = job.state === "failed";
    api.status(`${job.title}: ${job.state}` + (failed && job.lines ? ` — ${job.lines.slice(-1)[0]}` : ""),
               failed);
    if (job.kind === "push" || job.kind === "drive") refreshRemote();
    if (job.kind === "pull") refreshLocal();
  }

  // ----- buttons ------------------------------------------------------------------------------
  $("car_apply").addEventListener("click", applySettings);
  $("car_refresh").addEventListener("click", () => { refreshRemote(); refreshLocal(); });
  $("car_pull").addEventListener("click", () => {
    const tubs = ticked("car_tubs");
    if (!tubs.length) return api.status("tick the tubs to pull", true);
    $("car_open_pulled").hidden = true;
    start("/api/car/pull", { tubs });
  });
  $("car_open_pulled").addEventListener("click", async () => {
    try {
      await api.post("/api/tubs", { paths: pulledTubs });
      await api.refreshState();
      api.status(`opened ${pulledTubs.length} pulled tub(s)`);
    } catch (error) { api.status(error.message, true); }
  });
  $("car_push").addEventListener("click", () => {
    const pilots = ticked("car_pilots");
    const chosen = ticked("car_formats");
    if (!pilots.length) return api.status("tick the pilots to push", true);
    if (!chosen.length) return api.status("tick one or more formats", true);
    start("/api/car/push", { pilots, formats: chosen, database: $("car_database").checked });
  });
  $("car_drive").addEventListener("click", () => {
    $("car_output").textContent = "";
    start("/api/car/drive", { pilot: $("car_drive_pilot").value || null,
                              type: $("car_drive_type").value.trim() || null });
  });
  $("car_stop").addEventListener("click", async () => {
    try {
      await api.post("/api/car/drive/stop");
      $("car_drive_state").textContent = "stopping (SIGINT sent)…";
    } catch (error) { api.status(error.message, true); }
  });

  api.onState(() => { refreshLocal().catch((error) => api.status(error.message, true)); });
  await loadSettings();
  connect();
  checkStatus().then((status) => { if (status.state === "connected") refreshRemote(); });
  setInterval(() => { if (!section.hidden) checkStatus(); }, 3000);
}
