'use strict';
// The Reports page: each line's and each agent's figures over the days chosen, read as days of a
// line's time zone, and each table downloadable as the API's CSV.
(function (admin) {
  const { $, api, element, say, SignedOut } = admin;
  const signedInNow = admin.signedIn;
  const WORDS = admin.words({
    reports: {
      none: '—',
      allLines: 'All lines',
      lineName: (line) => line.name + ' (' + line.id + ')',
      zoneOfLine: (zone, line) => 'Days are those of ' + zone + ', the time zone of ' + line + '.',
      zoneOfFirst: (zone, line) => 'Days are those of ' + zone + ', the time zone of the first line, ' + line + '.',
      zoneOnly: (zone) => 'Days are those of ' + zone + '.',
      needDays: 'Choose a first and a last day.',
      reversed: 'The first day is after the last day.',
      tooLong: (days) => 'A report covers at most ' + days + ' days: choose a later first day or an earlier last day.',
      failed: (why) => 'The reports could not be loaded: ' + why,
      noAgents: 'No agents, and no calls answered in these days.',
      noLines: 'No lines.',
      saved: (name) => 'Saved ' + name + '.',
      notSaved: (why) => 'The CSV could not be downloaded: ' + why,
      seconds: (s) => s + ' s',
      minutes: (m, s) => m + ' min' + (s ? ' ' + s + ' s' : ''),
      hours: (h, m) => h + ' h' + (m ? ' ' + m + ' min' : ''),
      percent: (n) => n + '%',
      line: 'Line',
      agent: 'Agent',
      calls_offered: 'Calls offered',
      calls_answered: 'Calls answered',
      service_level: (rings) => 'Service level (answered within ' + rings + (rings === 1 ? ' ring)' : ' rings)'),
      rings_to_answer_median: 'Rings to answer, median',
      rings_to_answer_p90: 'Rings to answer, 9 in 10 within',
      callbacks_connected: 'Callbacks connected',
      speed_to_callback_median_seconds: 'Speed to callback, median',
      speed_to_callback_p90_seconds: 'Speed to callback, 9 in 10 within',
      feedback_average: 'Average score (of 5)',
      feedback_count: 'Scores',
      feedback_poor: 'Poor scores (1 or 2)',
    },
  });

  const FIGURES = ['calls_answered', 'service_level', 'rings_to_answer_median', 'rings_to_answer_p90', 'callbacks_connected',
    'speed_to_callback_median_seconds', 'speed_to_callback_p90_seconds', 'feedback_average', 'feedback_count', 'feedback_poor'];
  const SAID = {
    service_level: (v) => WORDS.reports.percent(Math.round(Number(v) * 100)),
    rings_to_answer_median: rings,
    rings_to_answer_p90: rings,
    speed_to_callback_median_seconds: duration,
    speed_to_callback_p90_seconds: duration,
    feedback_average: (v) => Number(v).toLocaleString('en-US', { maximumFractionDigits: 2 }),
  };
  const DAY = 86400000;
  // The longest period the API reports on.
  const MAX_DAYS = 366;

  let lines = [];
  // Each load's answers are drawn only while no later load has begun.
  let loads = 0;

  function isNumber(value) { return value !== null && value !== undefined && value !== '' && Number.isFinite(Number(value)); }

  function rings(value) { return Number(value).toLocaleString('en-US', { maximumFractionDigits: 1 }); }

  function duration(seconds) {
    const w = WORDS.reports;
    const s = Math.round(Number(seconds));
    if (s < 60) { return w.seconds(s); }
    if (s < 3600) { return w.minutes(Math.floor(s / 60), s % 60); }
    return w.hours(Math.floor(s / 3600), Math.floor((s % 3600) / 60));
  }

  function said(column, value) {
    if (!isNumber(value)) { return WORDS.reports.none; }
    return SAID[column] ? SAID[column](value) : String(value);
  }

  function chosenLine() {
    return lines.find((line) => line.id === $('reports-line').value) || null;
  }

  /** The zone whose days the dates are: the chosen line's, else the first line's. */
  function zone() {
    const line = chosenLine() || lines[0];
    return line ? line.time_zone : 'UTC';
  }

  /** Today in the zone, as YYYY-MM-DD. */
  function today() {
    const parts = {};
    new Intl.DateTimeFormat('en-US', { timeZone: zone(), year: 'numeric', month: '2-digit', day: '2-digit' })
      .formatToParts(new Date()).forEach((p) => { parts[p.type] = p.value; });
    return parts.year + '-' + parts.month + '-' + parts.day;
  }

  function daysBefore(day, days) {
    return new Date(Date.parse(day + 'T12:00:00Z') - days * DAY).toISOString().slice(0, 10);
  }

  function query(withLine) {
    const params = new URLSearchParams({ from: $('reports-from').value, to: $('reports-to').value, tz: zone() });
    const line = chosenLine();
    if (withLine && line) { params.set('line', line.id); }
    return params.toString();
  }

  function headerRow(first, rings) {
    const w = WORDS.reports;
    const row = element('tr');
    [first, ...(first === 'line' ? ['calls_offered'] : []), ...FIGURES].forEach((column) => {
      const th = element('th', null, column === 'service_level' ? w.service_level(rings) : w[column]);
      th.scope = 'col';
      row.appendChild(th);
    });
    return row;
  }

  function figureRow(name, detail, columns, item, headers) {
    const row = element('tr');
    const head = element('th', 'name', name);
    head.scope = 'row';
    if (detail) { head.append(element('span', 'detail', detail)); }
    row.appendChild(head);
    columns.forEach((column, i) => {
      const cell = element('td', 'figure', said(column, item[column]));
      cell.dataset.column = column;
      cell.dataset.label = headers[i + 1];
      row.appendChild(cell);
    });
    return row;
  }

  function drawTable(table, first, report, rows, empty) {
    const head = headerRow(first, report.target_rings);
    const headers = [...head.cells].map((th) => th.textContent);
    table.tHead.replaceChildren(head);
    const columns = [...(first === 'line' ? ['calls_offered'] : []), ...FIGURES];
    const body = table.tBodies[0];
    if (!report.items.length) {
      const cell = element('td', 'quiet', empty);
      cell.colSpan = headers.length;
      const row = element('tr');
      row.appendChild(cell);
      body.replaceChildren(row);
      return;
    }
    body.replaceChildren(...report.items.map((item) => {
      const [name, detail] = rows(item);
      const row = figureRow(name, detail, columns, item, headers);
      row.dataset.key = first === 'line' ? item.line : item.contact;
      return row;
    }));
  }

  function sayZone(timeZone) {
    const w = WORDS.reports;
    const line = chosenLine();
    let text = w.zoneOnly(timeZone);
    if (line) {
      text = w.zoneOfLine(timeZone, w.lineName(line));
    } else if (lines.length) {
      text = w.zoneOfFirst(timeZone, w.lineName(lines[0]));
    }
    say($('reports-zone'), text, 'quiet updated');
  }

  function clearTables() {
    ['report-lines', 'report-agents'].forEach((id) => {
      $(id).tHead.replaceChildren();
      $(id).tBodies[0].replaceChildren();
    });
  }

  /** Why the days chosen make no report, or null when they make one. */
  function daysRefused() {
    const from = $('reports-from').value;
    const to = $('reports-to').value;
    $('reports-to').min = from;
    $('reports-from').max = to;
    if (!from || !to) { return WORDS.reports.needDays; }
    if (from > to) { return WORDS.reports.reversed; }
    if ((Date.parse(to) - Date.parse(from)) / DAY + 1 > MAX_DAYS) { return WORDS.reports.tooLong(MAX_DAYS); }
    return null;
  }

  async function loadReports() {
    if (!signedInNow()) { return; }
    const load = ++loads;
    const refused = daysRefused();
    if (refused) {
      say($('reports-message'), refused, 'error');
      clearTables();
      return;
    }
    say($('reports-message'), '');
    try {
      const [byLine, byAgent] = await Promise.all([
        api('GET', '/api/reports/lines?' + query(true)), api('GET', '/api/reports/agents?' + query(false))]);
      if (load !== loads || !signedInNow()) { return; }
      sayZone(byLine.time_zone);
      drawTable($('report-lines'), 'line', byLine, (item) => [item.name, item.line], WORDS.reports.noLines);
      drawTable($('report-agents'), 'agent', byAgent, (item) => (item.name ? [item.name, item.contact] : [item.contact, null]),
        WORDS.reports.noAgents);
    } catch (e) {
      if (e instanceof SignedOut || load !== loads) { return; }
      say($('reports-message'), WORDS.reports.failed(e.message), 'error');
    }
  }

  function drawLines() {
    const select = $('reports-line');
    const kept = select.value;
    const all = element('option', null, WORDS.reports.allLines);
    all.value = '';
    select.replaceChildren(all, ...lines.map((line) => {
      const option = element('option', null, WORDS.reports.lineName(line));
      option.value = line.id;
      return option;
    }));
    select.value = lines.some((line) => line.id === kept) ? kept : '';
  }

  async function showReports() {
    try {
      const answer = await api('GET', '/api/lines');
      if (!signedInNow()) { return; }
      lines = answer.items;
    } catch (e) {
      if (e instanceof SignedOut) { return; }
      say($('reports-message'), WORDS.reports.failed(e.message), 'error');
      return;
    }
    drawLines();
    if (!$('reports-from').value && !$('reports-to').value) {
      const last = today();
      $('reports-to').value = last;
      $('reports-from').value = daysBefore(last, 6);
    }
    await loadReports();
  }

  /** Saves the table's CSV, as the API writes it, under a name that says its days. */
  async function download(kind) {
    const button = $('reports-' + kind + '-csv');
    const message = $('reports-download');
    const refused = daysRefused();
    if (refused) {
      say(message, refused, 'error');
      return;
    }
    const line = kind === 'lines' ? chosenLine() : null;
    const name = 'ringback-' + kind + (line ? '-' + line.id : '') + '-' + $('reports-from').value + '-to-' + $('reports-to').value + '.csv';
    button.disabled = true;
    try {
      const csv = await api('GET', '/api/reports/' + kind + '?' + query(kind === 'lines'), null, false, { Accept: 'text/csv' });
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
      const link = element('a');
      link.href = url;
      link.download = name;
      link.hidden = true;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
      say(message, WORDS.reports.saved(name), 'ok');
    } catch (e) {
      if (e instanceof SignedOut) { return; }
      say(message, WORDS.reports.notSaved(e.message), 'error');
    } finally {
      button.disabled = false;
    }
  }

  $('reports-period').addEventListener('submit', (event) => {
    event.preventDefault();
    loadReports();
  });
  ['reports-from', 'reports-to', 'reports-line'].forEach((id) => $(id).addEventListener('change', loadReports));
  $('reports-lines-csv').addEventListener('click', () => download('lines'));
  $('reports-agents-csv').addEventListener('click', () => download('agents'));

  admin.page('reports', {
    show: showReports,
    reset() {
      loads++;
      lines = [];
      $('reports-line').replaceChildren();
      $('reports-from').value = '';
      $('reports-to').value = '';
      clearTables();
      say($('reports-zone'), '');
      say($('reports-message'), '');
      say($('reports-download'), '');
    },
  });
}(window.RingbackAdmin));
