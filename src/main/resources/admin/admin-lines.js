'use strict';
// The Lines page: one line at a time, its opening hours as a week to edit with its closed dates,
// how its calls are answered (language, voice, ringing, callbacks, texts), the sentences its
// callers hear with what each sounds like, and the whole of it marked with where each value
// comes from: the configuration file, or set here (kept in the database, for every instance).
(function (admin) {
  const { $, api, element, say, field, word, SignedOut } = admin;
  const WORDS = admin.words({
    lines: {
      lineOption: (line) => line.name + ' · ' + line.number + ' (' + line.id + ')',
      failed: (why) => 'The line could not be loaded: ' + why,
      none: 'This business has no lines yet.',
      zone: (zone) => 'Times are in ' + zone + ', the line\'s time zone.',
      open: 'Open',
      from: 'From',
      to: 'Until',
      addRange: 'Add hours',
      removeRange: (day) => 'Remove these hours of ' + day,
      closedDay: 'Closed',
      removeClosed: (date) => 'Remove ' + date,
      hoursSaved: 'The hours are saved; every instance answers calls with them now.',
      notSaved: (why) => 'Not saved: ' + why,
      backHours: 'The hours are the configuration file\'s again.',
      backSettings: 'The settings and sentences are the configuration file\'s again.',
      openNow: 'Open now.',
      closedNow: (next) => 'Closed now' + (next ? '; opens ' + next + '.' : '.'),
      sentencesNote: (name) => 'Each sentence as the caller hears it, with ' + name + ' as the customer. Write a sentence in the line\'s '
        + 'language; the words in braces are filled in on each call. Leave it as it is to keep the language\'s own.',
      hears: 'Callers hear:',
      recording: (url) => 'Plays the recording ' + url + ' (set in the configuration file).',
      placeholders: (names) => names.length ? 'Fills in: ' + names.map((n) => '{' + n + '}').join(' ') : '',
      moreSentences: 'Every other sentence',
      settingsSaved: 'Saved; the next call on every instance is answered this way.',
      value: 'Value', source: 'From',
      twilioDefault: 'Twilio\'s default for the language',
      yes: 'Yes', no: 'No',
      seconds: (n) => n + ' s',
      agents: (list) => list.length ? list.join(', ') : 'none (only registered agents)',
    },
    // where a value comes from
    source: { config: 'Configuration file', api: 'Set here', catalog: 'The language\'s own' },
    // a line's settings, by the API's names
    setting: {
      number: 'Number', time_zone: 'Time zone', agents: 'Numbers rung', hours: 'Opening hours',
      language: 'Language', voice: 'Voice', ring_timeout_seconds: 'Rings for, in all (seconds)',
      ring_strategy: 'Who rings', ring_seconds: 'Each agent rings for (seconds, one after another)',
      screening: 'Agents press 1 to take the call', callback_mode: 'A callback calls first',
      feedback_channel: 'Customers are asked for a score', text_back: 'Text missed callers within seconds',
      text_back_orders: 'Text new customers after their order',
    },
    language: {
      'en-US': 'English (United States)', 'en-GB': 'English (United Kingdom)', 'es-ES': 'Spanish (Spain)',
      'es-MX': 'Spanish (Mexico)', 'ro-RO': 'Romanian', 'ru-RU': 'Russian', 'cmn-CN': 'Chinese (Mandarin)',
    },
    ring_strategy: { simultaneous: 'Everyone at once', sequential: 'One after another', 'longest-idle': 'The longest idle first' },
    screening: { auto: 'When the call may reach a voicemail (phone numbers)', always: 'Always', never: 'Never' },
    callback_mode: { auto: 'Chosen by the line (agent first on phones)', 'agent-first': 'The agent, then the customer',
      'customer-first': 'The customer, then an agent' },
    feedback_channel: { voice: 'By voice, after the call', sms: 'By text message', none: 'Not asked' },
    day: { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' },
    // the sentences shown first; the others are one click away
    sentence: {
      greeting: 'Greeting', 'greeting.known': 'Greeting of a known customer', 'after-hours': 'After hours',
      missed: 'Nobody answered', 'not-answered': 'Not answered in time', 'voicemail.thanks': 'After a voicemail',
      'callback.hello': 'A callback begins', 'callback.hello.known': 'A callback to a known customer begins',
      'callback.why.missed': 'Why we call back: a missed call', 'callback.why.order': 'Why we call: an order',
      'order.confirmed': 'The order is confirmed', 'feedback.question': 'The score question',
      'sms.text-back': 'Text to a missed caller', 'sms.text-back.known': 'Text to a known missed caller',
    },
  });
  const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  const SETTINGS = ['language', 'voice', 'ring_timeout_seconds', 'ring_strategy', 'ring_seconds', 'screening', 'callback_mode',
    'feedback_channel', 'text_back', 'text_back_orders'];
  const CHOSEN = ['ring_strategy', 'screening', 'callback_mode', 'feedback_channel'];
  const NUMBERS = ['ring_timeout_seconds', 'ring_seconds'];
  const FLAGS = ['text_back', 'text_back_orders'];

  let lines = [];
  let current = null; // { line, hours, settings }
  let loading = false;

  const path = (line, what) => '/api/lines/' + encodeURIComponent(line) + '/' + what;

  function badge(source) {
    const span = element('span', 'source ' + source, word('source', source));
    span.dataset.source = source;
    return span;
  }

  function said(name, value) {
    const w = WORDS.lines;
    if (value === null || value === undefined || value === '') { return name === 'voice' ? w.twilioDefault : '—'; }
    if (FLAGS.includes(name)) { return value ? w.yes : w.no; }
    if (NUMBERS.includes(name)) { return w.seconds(value); }
    if (name === 'language' || CHOSEN.includes(name)) { return word(name, value); }
    return String(value);
  }

  // ---- Opening hours: a row per day, each with its ranges; then the closed dates.

  function rangeRow(day, range) {
    const w = WORDS.lines;
    const [open, close] = range.split('-');
    const row = element('div', 'range');
    const from = element('input');
    from.type = 'time';
    from.value = open;
    from.className = 'from';
    from.setAttribute('aria-label', word('day', day) + ': ' + w.from);
    const to = element('input');
    to.type = 'time';
    // The API's 24:00, midnight at the end of the day, is 00:00 in a time field.
    to.value = close === '24:00' ? '00:00' : close;
    to.className = 'to';
    to.setAttribute('aria-label', word('day', day) + ': ' + w.to);
    const remove = element('button', 'remove-range', '×');
    remove.type = 'button';
    remove.setAttribute('aria-label', w.removeRange(word('day', day)));
    remove.addEventListener('click', () => {
      const list = row.parentElement;
      row.remove();
      dayState(list.closest('.day'));
    });
    row.append(from, element('span', 'dash', '–'), to, remove);
    return row;
  }

  function dayState(dayRow) {
    const ranges = dayRow.querySelectorAll('.range');
    dayRow.querySelector('.open').checked = ranges.length > 0;
    dayRow.querySelector('.closed-word').hidden = ranges.length > 0;
  }

  function dayRow(day, ranges) {
    const w = WORDS.lines;
    const row = element('div', 'day');
    row.dataset.day = day;
    const name = element('span', 'day-name', word('day', day));
    name.id = 'day-' + day;
    const open = element('input', 'open');
    open.type = 'checkbox';
    open.id = 'open-' + day;
    const openLabel = element('label', 'open-label', w.open);
    openLabel.htmlFor = open.id;
    const list = element('div', 'ranges');
    list.setAttribute('aria-labelledby', name.id);
    ranges.forEach((r) => list.appendChild(rangeRow(day, r)));
    const closedWord = element('span', 'closed-word quiet', w.closedDay);
    const add = element('button', 'add-range', w.addRange);
    add.type = 'button';
    add.setAttribute('aria-label', w.addRange + ': ' + word('day', day));
    add.addEventListener('click', () => {
      list.appendChild(rangeRow(day, '09:00-17:00'));
      dayState(row);
      list.lastChild.querySelector('.from').focus();
    });
    open.addEventListener('change', () => {
      if (open.checked && !list.children.length) { list.appendChild(rangeRow(day, '09:00-17:00')); }
      if (!open.checked) { list.replaceChildren(); }
      dayState(row);
    });
    const toggle = element('span', 'toggle');
    toggle.append(open, openLabel);
    row.append(name, toggle, list, closedWord, add);
    dayState(row);
    return row;
  }

  function closedItem(date) {
    const item = element('li', 'closed-date');
    item.dataset.date = date;
    const remove = element('button', 'remove-closed', '×');
    remove.type = 'button';
    remove.setAttribute('aria-label', WORDS.lines.removeClosed(date));
    remove.addEventListener('click', () => {
      item.remove();
      $('closed-none').hidden = $('closed-list').children.length > 0;
    });
    item.append(element('span', null, date), remove);
    return item;
  }

  function drawHours(hours) {
    const w = WORDS.lines;
    $('hours-source').replaceChildren(badge(hours.source));
    $('hours-back').hidden = hours.source !== 'api';
    $('week').replaceChildren(...DAYS.map((day) => dayRow(day, hours.week[day] || [])));
    $('closed-list').replaceChildren(...hours.closed.map(closedItem));
    $('closed-none').hidden = hours.closed.length > 0;
    const next = hours.next_opening
      ? new Intl.DateTimeFormat(undefined, { timeZone: hours.time_zone, weekday: 'long', hour: '2-digit', minute: '2-digit' })
        .format(new Date(hours.next_opening)) : null;
    say($('hours-now'), hours.open_now ? w.openNow : w.closedNow(next), 'quiet');
  }

  function collectHours() {
    const week = {};
    document.querySelectorAll('#week .day').forEach((row) => {
      const ranges = [...row.querySelectorAll('.range')].map((r) => {
        const close = r.querySelector('.to').value;
        return r.querySelector('.from').value + '-' + (close === '00:00' ? '24:00' : close);
      });
      if (ranges.length) { week[row.dataset.day] = ranges; }
    });
    const closed = [...document.querySelectorAll('#closed-list .closed-date')].map((item) => item.dataset.date);
    return { week, closed };
  }

  // ---- Settings and sentences

  function control(name, setting, choices) {
    let input;
    if (FLAGS.includes(name)) {
      input = element('input');
      input.type = 'checkbox';
      input.checked = Boolean(setting.value);
    } else if (NUMBERS.includes(name)) {
      input = element('input');
      input.type = 'number';
      input.min = name === 'ring_timeout_seconds' ? 5 : 3;
      input.max = 600;
      input.value = setting.value;
    } else {
      input = element('select');
      const values = name === 'voice' ? [''].concat(choices.voice || []) : choices[name] || [];
      if (name === 'voice' && setting.value && !values.includes(setting.value)) { values.push(setting.value); }
      input.replaceChildren(...values.map((value) => {
        const option = element('option', null, said(name, value));
        option.value = value;
        return option;
      }));
      input.value = setting.value === null ? '' : setting.value;
    }
    input.dataset.setting = name;
    return input;
  }

  function valueOf(input) {
    if (input.type === 'checkbox') { return input.checked; }
    if (input.type === 'number') { return input.value === '' ? null : Number(input.value); }
    return input.value;
  }

  function same(a, b) {
    return (a === null || a === undefined ? '' : a) === (b === null || b === undefined ? '' : b);
  }

  function drawSettings(data) {
    const box = $('line-settings');
    const rows = SETTINGS.map((name) => {
      const setting = data.settings[name];
      const input = control(name, setting, data.choices);
      const row = field('setting-' + name, word('setting', name), input);
      row.classList.add('setting');
      if (input.type === 'checkbox') { row.classList.add('flag'); }
      row.dataset.setting = name;
      row.appendChild(badge(setting.source));
      return row;
    });
    box.replaceChildren(...rows);
  }

  function sentence(prompt) {
    const w = WORDS.lines;
    const box = element('div', 'sentence');
    box.dataset.key = prompt.key;
    const id = 'sentence-' + prompt.key.replace(/[^a-z0-9]/g, '-');
    const name = Object.prototype.hasOwnProperty.call(WORDS.sentence, prompt.key) ? WORDS.sentence[prompt.key] : prompt.key;
    const head = element('div', 'sentence-head');
    const label = element('label', null, name);
    label.htmlFor = id;
    head.append(label, element('code', 'key', prompt.key), badge(prompt.source));
    box.appendChild(head);
    if (prompt.recording) {
      box.appendChild(element('p', 'quiet', w.recording(prompt.recording)));
      return box;
    }
    const text = element('textarea');
    text.id = id;
    text.rows = 2;
    text.maxLength = 1000;
    text.value = prompt.text;
    text.dataset.key = prompt.key;
    text.dataset.defaultText = prompt.default_text;
    const help = element('p', 'quiet placeholders', w.placeholders(prompt.placeholders));
    help.id = id + '-help';
    text.setAttribute('aria-describedby', help.id + ' ' + id + '-preview');
    const preview = element('p', 'preview');
    preview.id = id + '-preview';
    preview.append(element('span', 'hears', w.hears + ' '), element('q', null, prompt.preview));
    box.append(text, help, preview);
    return box;
  }

  function drawSentences(data) {
    const first = Object.keys(WORDS.sentence);
    const main = data.prompts.filter((p) => first.includes(p.key)).sort((a, b) => first.indexOf(a.key) - first.indexOf(b.key));
    const rest = data.prompts.filter((p) => !first.includes(p.key));
    $('sentences-note').textContent = WORDS.lines.sentencesNote(data.example.name);
    $('sentences').replaceChildren(...main.map(sentence));
    const more = $('more-sentences');
    const open = more.open;
    more.replaceChildren(element('summary', null, WORDS.lines.moreSentences), ...rest.map(sentence));
    more.open = open;
  }

  function drawEffective(data) {
    const body = $('effective').tBodies[0];
    const row = (name, value, source) => {
      const tr = element('tr');
      tr.dataset.setting = name;
      const th = element('th', null, word('setting', name));
      th.scope = 'row';
      const td = element('td', 'value', value);
      td.dataset.label = WORDS.lines.value;
      const from = element('td');
      from.dataset.label = WORDS.lines.source;
      from.appendChild(badge(source));
      tr.append(th, td, from);
      return tr;
    };
    body.replaceChildren(
      row('number', data.number, 'config'),
      row('time_zone', data.time_zone, 'config'),
      row('agents', WORDS.lines.agents(data.agents), 'config'),
      row('hours', '', data.hours_source),
      ...SETTINGS.map((name) => row(name, said(name, data.settings[name].value), data.settings[name].source)),
    );
    body.querySelector('tr[data-setting=hours] .value').textContent = hoursSaid(current.hours);
  }

  function hoursSaid(hours) {
    if (hours.always_open) { return '24/7'; }
    const parts = DAYS.filter((d) => (hours.week[d] || []).length)
      .map((d) => word('day', d).slice(0, 3) + ' ' + hours.week[d].join(', '));
    return parts.length ? parts.join(' · ') : WORDS.lines.closedDay;
  }

  function drawLine(data, hours) {
    current = { line: data.line, hours, settings: data };
    say($('lines-zone'), WORDS.lines.zone(data.time_zone), 'quiet updated');
    drawHours(hours);
    drawSettings(data);
    drawSentences(data);
    drawEffective(data);
    $('settings-back').hidden = !(SETTINGS.some((n) => data.settings[n].source === 'api')
      || data.prompts.some((p) => p.source === 'api'));
    $('line-editor').hidden = false;
  }

  /** What the form says, as the API takes it: only what differs from the configuration file. */
  function collectSettings() {
    const body = {};
    document.querySelectorAll('#line-settings [data-setting]').forEach((input) => {
      if (!input.matches('input, select')) { return; }
      const name = input.dataset.setting;
      const value = valueOf(input);
      if (!same(value, current.settings.settings[name].config_value)) { body[name] = value; }
    });
    const prompts = {};
    document.querySelectorAll('#line-editor textarea[data-key]').forEach((text) => {
      if (text.value.trim() !== text.dataset.defaultText.trim()) { prompts[text.dataset.key] = text.value.trim(); }
    });
    if (Object.keys(prompts).length) { body.prompts = prompts; }
    return body;
  }

  async function loadLine(id) {
    if (loading) { return; }
    loading = true;
    try {
      const [data, hours] = await Promise.all([api('GET', path(id, 'settings')), api('GET', path(id, 'hours'))]);
      if (!admin.signedIn()) { return; }
      drawLine(data, hours);
      say($('lines-message'), '');
    } catch (e) {
      if (e instanceof SignedOut) { return; }
      say($('lines-message'), WORDS.lines.failed(e.message), 'error');
    } finally {
      loading = false;
    }
  }

  async function show() {
    try {
      const list = await api('GET', '/api/lines');
      if (!admin.signedIn()) { return; }
      lines = list.items;
      const choice = $('lines-line');
      const before = choice.value;
      choice.replaceChildren(...lines.map((line) => {
        const option = element('option', null, WORDS.lines.lineOption(line));
        option.value = line.id;
        return option;
      }));
      if (!lines.length) {
        $('line-editor').hidden = true;
        say($('lines-message'), WORDS.lines.none, 'quiet');
        return;
      }
      choice.value = lines.some((l) => l.id === before) ? before : lines[0].id;
      await loadLine(choice.value);
    } catch (e) {
      if (e instanceof SignedOut) { return; }
      say($('lines-message'), WORDS.lines.failed(e.message), 'error');
    }
  }

  /** Runs a change, says how it went next to the button pressed, and draws the line as the API now has it. */
  async function change(button, message, run, done) {
    button.disabled = true;
    say(message, '');
    try {
      await run();
      await loadLine(current.line);
      say(message, done, 'ok');
    } catch (e) {
      if (e instanceof SignedOut) { return; }
      say(message, WORDS.lines.notSaved(e.message), 'error');
    } finally {
      button.disabled = false;
    }
  }

  $('lines-line').addEventListener('change', () => loadLine($('lines-line').value));
  $('add-closed').addEventListener('click', () => {
    const date = $('closed-date').value;
    if (!date || document.querySelector('#closed-list [data-date="' + date + '"]')) { return; }
    $('closed-list').appendChild(closedItem(date));
    $('closed-none').hidden = true;
    $('closed-date').value = '';
  });
  $('hours-form').addEventListener('submit', (event) => {
    event.preventDefault();
    change($('save-hours'), $('hours-message'), () => api('PUT', path(current.line, 'hours'), collectHours()), WORDS.lines.hoursSaved);
  });
  $('hours-back').addEventListener('click', () => {
    change($('hours-back'), $('hours-message'), () => api('DELETE', path(current.line, 'hours')), WORDS.lines.backHours);
  });
  $('settings-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const button = event.submitter || $('save-settings');
    const message = button.closest('.form-end').querySelector('.message');
    change(button, message, () => api('PUT', path(current.line, 'settings'), collectSettings()), WORDS.lines.settingsSaved);
  });
  $('settings-back').addEventListener('click', () => {
    change($('settings-back'), $('settings-message'), () => api('DELETE', path(current.line, 'settings')), WORDS.lines.backSettings);
  });

  admin.page('lines', {
    show,
    reset() {
      current = null;
      lines = [];
      $('lines-line').replaceChildren();
      $('line-editor').hidden = true;
      ['lines-message', 'lines-zone', 'hours-message', 'settings-message', 'sentences-message'].forEach((id) => say($(id), ''));
    },
  });
}(window.RingbackAdmin));
