// The Trainer screen of burro ui: train a pilot on the opened tubs in a background
// `burro train`, watch it (the run goes on when the page closes), browse the model database.

import { TrainForm } from "./trainer/form.js";
import { JobPanel } from "./trainer/job.js";
import { PilotPanel } from "./trainer/pilot.js";
import { PilotTable } from "./trainer/table.js";

export async function mount(section, api) {
  const style = document.createElement("link");
  style.rel = "stylesheet";
  style.href = api.withToken("static/trainer/trainer.css");
  document.head.append(style);
  section.innerHTML = `<div class="tr-layout">
      <div class="panel" id="tr_form_panel"></div>
      <div class="panel" id="tr_job_panel"></div>
      <div class="panel tr-wide"><h2>Pilots <span id="tr_models_dir" class="tr-dim"></span></h2>
        <div id="tr_db"></div><div id="tr_detail"></div></div>
    </div>`;
  const $ = (selector) => section.querySelector(selector);

  async function reloadModels() {
    try {
      const answer = await api.get("/api/trainer/models");
      $("#tr_models_dir").textContent = answer.models_dir;
      table.setRows(answer.rows);
    } catch (error) {
      table.setRows([]);
      api.status(error.message, true);
    }
  }

  const detail = new PilotPanel($("#tr_detail"), api, {
    onChanged: async () => { await reloadModels(); await form.load(); },
  });
  const table = new PilotTable($("#tr_db"), (row) => detail.show(row.Number));
  const job = new JobPanel($("#tr_job_panel"), api, {
    onRunning: (running) => form.setRunning(running),
    onEnded: async (ended) => {
      await reloadModels();
      await form.load();
      const number = ended.result && table.rows.find((r) => r.Pilot === ended.result.model);
      if (number) { table.picked = number.Number; table.render(); detail.show(number.Number); }
    },
  });
  const form = new TrainForm($("#tr_form_panel"), api, { onStarted: (started) => job.show(started) });

  api.onState(() => { form.load().catch((e) => api.status(e.message, true)); reloadModels(); });
  await job.refresh();
}
