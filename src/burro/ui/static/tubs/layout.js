// The Tub Manager's markup (ids are prefixed tubs_, the tests and the benchmark use them).
export const LAYOUT = `
<div class="tubs-bar">
  <label>Tub <select id="tubs_select"></select></label>
  <button id="tubs_open_folder" type="button">Open a data folder…</button>
  <span id="tubs_summary" class="dim"></span>
</div>
<div id="tubs_empty" class="panel" hidden>
  <p>No tub is open. Open one or more with <b>Tubs:</b> in the header, or every tub of a
  data folder:</p>
  <button id="tubs_open_data" type="button" class="primary">Open a data folder…</button>
</div>
<div id="tubs_body" hidden>
  <div class="tubs-main">
    <div class="panel tubs-player">
      <canvas id="tubs_frame" width="640" height="480"></canvas>
      <input id="tubs_slider" type="range" min="0" max="0" value="0" aria-label="record">
      <div class="tubs-controls">
        <button id="tubs_step_back" type="button" title="step back (←)">◀|</button>
        <button id="tubs_play_back" type="button" title="play backwards (shift+space)">◀◀</button>
        <button id="tubs_pause" type="button" title="pause (space)">❚❚</button>
        <button id="tubs_play" type="button" title="play (space)">▶▶</button>
        <button id="tubs_step" type="button" title="step (→)">|▶</button>
        <label>speed <select id="tubs_speed">
          <option>0.25</option><option>0.5</option><option selected>1</option>
          <option>1.5</option><option>2</option><option>3</option><option>4</option>
        </select>×</label>
        <span id="tubs_where" class="dim"></span>
      </div>
    </div>
    <div class="tubs-side">
      <div class="panel">
        <h3>Record <span id="tubs_record_index"></span></h3>
        <div id="tubs_values"></div>
        <details><summary>Fields shown</summary><div id="tubs_field_picker"></div></details>
      </div>
      <div class="panel">
        <h3>Clean</h3>
        <div class="tubs-row">
          <button id="tubs_mark_left" type="button" title="[">Set left</button>
          <button id="tubs_mark_right" type="button" title="]">Set right</button>
          <span id="tubs_range" class="dim">no range</span>
        </div>
        <div class="tubs-row">
          <button id="tubs_delete" type="button" class="danger" disabled>Delete range</button>
          <button id="tubs_restore" type="button" disabled>Restore range</button>
          <button id="tubs_undo" type="button" disabled>Undo</button>
        </div>
        <h3>Filter (TRAIN_FILTER)</h3>
        <div class="tubs-row">
          <input id="tubs_filter" type="text" spellcheck="false"
                 placeholder="user/throttle > 0.1" aria-label="filter expression">
          <button id="tubs_filter_apply" type="button">Apply</button>
        </div>
        <div class="tubs-row">
          <button id="tubs_filter_save" type="button" disabled>Save to myconfig.py</button>
          <button id="tubs_filter_clear" type="button">Clear</button>
        </div>
        <p id="tubs_filter_result" class="dim"></p>
      </div>
    </div>
  </div>
  <div class="panel tubs-plots">
    <div class="tubs-row"><h3>Plot</h3><span id="tubs_plot_picker"></span></div>
    <div class="tubs-plot-stack">
      <canvas id="tubs_plot"></canvas><canvas id="tubs_plot_marks"></canvas>
    </div>
    <div id="tubs_histograms"></div>
  </div>
  <div class="tubs-lists">
    <div class="panel"><h3>Sessions</h3><div id="tubs_sessions"></div></div>
    <div class="panel"><h3>Problems (burro tub check)</h3><div id="tubs_problems">…</div></div>
  </div>
</div>
<dialog id="tubs_confirm">
  <form method="dialog">
    <h2>Delete records?</h2>
    <p id="tubs_confirm_text"></p>
    <menu><button value="cancel">Cancel</button>
      <button id="tubs_confirm_ok" value="ok" class="danger">Delete</button></menu>
  </form>
</dialog>`;
