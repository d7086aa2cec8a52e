'use strict';
// The owner's pages: sign in with the business's admin token (kept in this tab only); the
// Today page shows whether callers are being lost, kept up to date while it is in view; the
// Set-up page shows whether Twilio reaches this server, connects a line's number and places a
// test call from it; the Callbacks page lists the callbacks with why each is where it is, and
// cancels or moves a waiting one.
(function () {
  const TOKEN = 'ringback.admin-token';
  const $ = (id) => document.getElementById(id);

  // Every word the page shows: one table, so no API code reaches the screen.
  const WORDS = {
    // a check's result
    result: { pass: 'OK', fail: 'Needs fixing', skipped: 'Not checked' },
    // the checks of GET /api/setup
    check: {
      public_url: 'Public URL', credentials: 'Twilio credentials', number_in_account: 'Number in the Twilio account',
      webhooks: 'Webhooks (calls, call progress, texts)',
    },
    // what Connect changes on a Twilio number
    field: {
      voice_url: '"A call comes in": URL', voice_method: '"A call comes in": method',
      status_callback: '"Call status changes": URL', status_callback_method: '"Call status changes": method',
      sms_url: '"A message comes in": URL', sms_method: '"A message comes in": method',
      voice_application_sid: 'Voice application (overrides the call URL)',
      sms_application_sid: 'Messaging application (overrides the text URL)',
    },
    column: { found: 'What was found', fix: 'What to do', field: 'Field', now: 'Now', wanted: 'Will be' },
    // the Today page
    today: {
      none: '—',
      offered: 'Calls offered', answered: 'Answered', missed: 'Missed',
      offeredNote: 'inbound calls today',
      answeredNote: (within) => within + ' within the target',
      missedNote: 'nobody answered',
      serviceLevel: 'Service level',
      serviceLevelNote: (seconds, target) => 'answered within ' + seconds + ' s — target ' + target + '%',
      waiting: 'Callbacks waiting',
      waitingNote: (withAgents, longest) => withAgents + ' with agents · ' + (longest ? 'waiting ' + longest : 'nobody waiting'),
      speed: 'Speed to callback',
      speedNote: "median, today's first attempts",
      orders: 'Orders',
      ordersNote: (called) => called + ' called',
      feedback: 'Feedback',
      feedbackNote: (scores) => 'average of ' + scores + (scores === 1 ? ' score' : ' scores'),
      seconds: (n) => n + ' s',
      minutes: (n) => n + ' min',
      hours: (h, m) => h + ' h ' + m + ' min',
      updated: (at) => 'Updated ' + at,
      failed: (why) => 'Today could not be loaded: ' + why,
      hoursTitle: 'Last 24 hours',
      daysTitle: 'Last 7 days',
      hoursChart: 'Calls answered and missed, hour by hour, over the last 24 hours',
      daysChart: 'Calls answered and missed, day by day, over the last 7 days',
      hour: 'Hour', day: 'Day', calls: 'Calls',
      summary: (title, total) => title + ': ' + total.offered + ' calls, ' + total.answered + ' answered, ' + total.missed + ' missed.',
      bar: (label, span) => label + ': ' + span.offered + ' calls, ' + span.answered + ' answered, ' + span.missed + ' missed',
    },
    // the Callbacks page
    state: {
      scheduled: 'Waiting', dialing: 'Being dialled', agent_queue: 'With the agents', done: 'Done',
      cancelled: 'Cancelled', expired: 'Given up', failed: 'Failed',
    },
    // callbacks.trigger: why the callback was promised
    trigger: {
      order: 'New order', missed: 'Missed call', abandoned: 'Hung up before an answer', dropped: 'Call cut short',
      voicemail: 'Voicemail', after_hours: 'Called after hours', scheduled: 'Asked for a time', manual: 'By hand',
      feedback: 'Poor score', text: 'Texted us',
    },
    // a task's reason: why a person calls back
    taskReason: {
      retries_exhausted: 'not reached by the automatic calls', voicemail: 'left a voicemail', asked_for_agent: 'asked for a person',
      no_agent_available: 'nobody was free', by_hand: 'given to them by hand', service_recovery: 'make it right after a poor score',
      text_reply: 'texted us: read their message',
    },
    // how an attempt or a callback ended
    outcome: {
      connected: 'connected', no_answer: 'no answer', busy: 'busy', machine: 'answering machine',
      no_agent: 'answered, but no agent was free', failed: 'the call failed', cancelled: 'cancelled',
      expired: 'not reached', api_error: 'the call could not be placed',
      agent_not_accepted: "the agent's phone was not answered",
    },
    // why.reason: each a sentence, given the why and a function saying a time
    why: {
      due: (w, at) => 'Due at ' + at(w.until),
      waiting_for_calling_hours: (w, at) => "Waiting for the customer's calling hours until " + at(w.until),
      waiting_for_agent: (w, at) => 'Waiting for a free agent until ' + at(w.until),
      being_dialled: () => 'Being dialled now',
      with_agents: (w) => 'With the agents' + (w.task_reason ? ': ' + word('taskReason', w.task_reason) : ''),
      cancelled_got_through: (w) => 'Cancelled: the caller got through' + (w.call_sid ? ' (call ' + w.call_sid + ')' : ''),
      cancelled_by_hand: (w) => 'Cancelled by hand by ' + (w.by ? w.by : 'the admin'),
      cancelled_do_not_call: () => 'Cancelled: on the do-not-call list',
      cancelled_business_deleted: () => 'Cancelled: the business was deleted',
      cancelled: () => 'Cancelled',
      expired: (w) => 'Given up after ' + attemptsSaid(w.attempts),
      failed: (w) => 'Failed' + (w.attempts && w.attempts.length ? ' after ' + attemptsSaid(w.attempts) : ''),
      done: (w) => 'Done: ' + word('outcome', w.outcome || 'connected'),
    },
    callbacks: {
      all: 'All',
      line: (id) => 'Line ' + id,
      tomorrow: (time) => time + ' tomorrow',
      zone: (zone) => 'Times are in ' + zone + ', the business\'s time zone.',
      browserZone: (zone) => 'Times are in ' + zone + ', this browser\'s time zone.',
      failed: (why) => 'The callbacks could not be loaded: ' + why,
      none: 'No callbacks match.',
      cancel: 'Cancel',
      sure: 'Cancel this callback? The customer will not be called back.',
      yes: 'Yes, cancel it',
      keep: 'Keep it',
      cancelled: 'Cancelled.',
      notCancelled: (why) => 'Not cancelled: ' + why,
      moveLabel: (phone) => 'Move the callback to ' + phone + ' to',
      move: 'Move',
      moved: (time) => 'Moved to ' + time + '.',
      notMoved: (why) => 'Not moved: ' + why,
    },
    text: {
      refused: 'That token was not accepted. Check that you copied all of it, and try again.',
      agent: "This is an agent's token; agents use /console. Sign in here with the business's admin token.",
      ended: 'Your session has ended: the admin token was replaced. Please sign in again with the new token.',
      business: (slug) => 'Business: ' + slug,
      checking: 'Checking…',
      checked: (at) => 'Checked at ' + at + '.',
      failed: (why) => 'The check could not be made: ' + why,
      line: (id, number) => 'Line ' + id + ' · ' + number,
      lineChecks: (id) => 'Checks of line ' + id,
      connect: 'Connect',
      cancel: 'Cancel',
      confirm: 'Connect',
      loadingChanges: 'Asking Twilio what Connect would change…',
      changesTitle: (number) => 'What Connect changes on ' + number + ' at Twilio',
      noChanges: 'Nothing to change: the number points here already.',
      notSet: '(not set)',
      // a number's setting that Connect would change, as found
      setTo: (field, now) => field + ' is ' + (now ? now : 'not set'),
      cleared: '(none)',
      connecting: 'Connecting…',
      connected: (number) => number + ' is connected: its calls, call progress and texts come to this server.',
      notConnected: (why) => 'Not connected: ' + why,
      testTitle: 'Test call',
      testLabel: (number) => 'Your phone, to be called from ' + number,
      testButton: 'Call me',
      calling: (to) => 'Calling ' + to + '… Answer it to hear the line\'s greeting.',
      notCalled: (why) => 'Not called: ' + why,
      error: (status) => 'the server answered ' + status,
    },
  };

  function attemptsSaid(attempts) {
    const list = attempts || [];
    return list.length + (list.length === 1 ? ' attempt' : ' attempts')
      + (list.length ? ': ' + list.map((o) => word('outcome', o || 'no_answer')).join(', ') : '');
  }

  /** The word for an API code; a code the table lacks still reads as words. */
  function word(kind, code) {
    if (code === null || code === undefined || code === '') { return ''; }
    const table = WORDS[kind] || {};
    return Object.prototype.hasOwnProperty.call(table, code) ? table[code] : String(code).replace(/_/g, ' ');
  }

  // The token being tried at sign-in, before it is known to be an admin's.
  let trying = null;

  function token() { return trying || sessionStorage.getItem(TOKEN); }

  class SignedOut extends Error {}

  async function api(method, path, body) {
    const response = await fetch(path, {
      method,
      headers: Object.assign({ Authorization: 'Bearer ' + token() }, body ? { 'Content-Type': 'application/json' } : {}),
      body: body ? JSON.stringify(body) : undefined,
    });
    if (response.status === 401 || (response.status === 403 && trying)) {
      signOut(response.status === 403 ? WORDS.text.agent : trying ? WORDS.text.refused : WORDS.text.ended);
      throw new SignedOut();
    }
    const text = await response.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
    if (!response.ok) {
      throw new Error((data && data.error) || WORDS.text.error(response.status));
    }
    return data;
  }

  function element(tag, className, text) {
    const el = document.createElement(tag);
    if (className) { el.className = className; }
    if (text !== undefined) { el.textContent = text; }
    return el;
  }

  function say(el, text, kind) {
    el.textContent = text;
    el.className = 'message' + (kind ? ' ' + kind : '');
  }

  function signOut(message) {
    trying = null;
    sessionStorage.removeItem(TOKEN);
    $('who').hidden = true;
    $('pages').hidden = true;
    $('set-up').hidden = true;
    $('today').hidden = true;
    $('callbacks').hidden = true;
    stopToday();
    $('callback-list').replaceChildren();
    $('callbacks-more').hidden = true;
    say($('callbacks-zone'), '');
    say($('callbacks-message'), '');
    $('tiles').replaceChildren();
    $('chart-hours').replaceChildren();
    $('chart-days').replaceChildren();
    say($('today-updated'), '');
    $('general').tBodies[0].replaceChildren();
    $('lines').replaceChildren();
    $('login').hidden = false;
    say($('login-message'), message, 'error');
    $('token').value = '';
    $('token').focus();
  }

  function signedIn(setup) {
    if (trying) {
      sessionStorage.setItem(TOKEN, trying);
      trying = null;
    }
    $('login').hidden = true;
    say($('login-message'), '');
    $('business').textContent = WORDS.text.business(setup.business);
    $('who').hidden = false;
    if ($('pages').hidden) {
      $('pages').hidden = false;
      showPage();
    }
  }

  // ---- Pages: the address's #fragment names the page; Today by default.

  const PAGES = ['today', 'set-up', 'callbacks'];

  function currentPage() {
    const name = location.hash.slice(1);
    return PAGES.includes(name) ? name : 'today';
  }

  function showPage() {
    const name = currentPage();
    PAGES.forEach((page) => { $(page).hidden = page !== name; });
    document.querySelectorAll('#pages a[data-page]').forEach((link) => {
      if (link.dataset.page === name) {
        link.setAttribute('aria-current', 'page');
      } else {
        link.removeAttribute('aria-current');
      }
    });
    if (name === 'today') { startToday(); } else { stopToday(); }
    if (name === 'callbacks') { loadCallbacks(false); }
  }

  function signedInNow() { return !$('pages').hidden; }

  window.addEventListener('hashchange', () => {
    if (!signedInNow()) { return; }
    showPage();
    $(currentPage() + '-title').focus();
  });

  // ---- Today: the day's figures as tiles, and two bar charts drawn here (no library).

  const REFRESH_MS = 30000;
  const SVG = 'http://www.w3.org/2000/svg';
  let todayTimer = null;
  let todayLoading = false;

  function isNumber(value) { return value !== null && value !== undefined && Number.isFinite(Number(value)); }

  function count(value) { return isNumber(value) ? String(value) : WORDS.today.none; }

  function percent(share) { return Math.round(Number(share) * 100); }

  function duration(seconds) {
    if (!isNumber(seconds)) { return WORDS.today.none; }
    const s = Math.round(Number(seconds));
    if (s < 60) { return WORDS.today.seconds(s); }
    if (s < 3600) { return WORDS.today.minutes(Math.floor(s / 60)); }
    return WORDS.today.hours(Math.floor(s / 3600), Math.floor((s % 3600) / 60));
  }

  function tile(kind, name, value, note, alarm) {
    const box = element('div', 'tile' + (alarm ? ' alarm' : ''));
    box.dataset.tile = kind;
    box.append(element('h3', 'name', name), element('p', 'value', value));
    if (note) { box.appendChild(element('p', 'note', note)); }
    return box;
  }

  function tiles(today) {
    const w = WORDS.today;
    const calls = today.calls;
    const callbacks = today.callbacks;
    const level = isNumber(calls.service_level) ? percent(calls.service_level) : null;
    const objective = percent(calls.service_level_objective);
    const under = isNumber(calls.service_level) && Number(calls.service_level) < Number(calls.service_level_objective);
    const feedback = today.feedback;
    return [
      tile('offered', w.offered, count(calls.offered), w.offeredNote),
      tile('answered', w.answered, count(calls.answered), w.answeredNote(count(calls.within_target))),
      tile('missed', w.missed, count(calls.missed), w.missedNote, Number(calls.missed) > 0),
      tile('service-level', w.serviceLevel, level === null ? w.none : level + '%', w.serviceLevelNote(count(calls.target_seconds), objective), under),
      tile('waiting', w.waiting, count(callbacks.waiting),
        w.waitingNote(count(callbacks.with_agents), isNumber(callbacks.oldest_waiting_seconds) ? duration(callbacks.oldest_waiting_seconds) : null)),
      tile('speed', w.speed, duration(today.speed_to_callback_median_seconds), w.speedNote),
      tile('orders', w.orders, count(today.orders.received), w.ordersNote(count(today.orders.called))),
      tile('feedback', w.feedback, isNumber(feedback.average) ? Number(feedback.average).toFixed(1) : w.none,
        w.feedbackNote(isNumber(feedback.scores) ? Number(feedback.scores) : 0)),
    ];
  }

  function svg(tag, attributes, text) {
    const el = document.createElementNS(SVG, tag);
    Object.entries(attributes || {}).forEach(([name, value]) => el.setAttribute(name, String(value)));
    if (text !== undefined) { el.textContent = text; }
    return el;
  }

  /**
   * A bar per span, answered below and missed stacked on top, with the chart's name as its
   * title and the numbers beside it: a summary line and a table for screen readers.
   */
  function chart(figure, id, spans, title, name, column, axisLabel, fullLabel, labelled) {
    const width = 480;
    const height = 170;
    const left = 26;
    const top = 10;
    const base = 140;
    const most = Math.max(1, ...spans.map((span) => Number(span.offered) || 0));
    const slot = (width - left) / spans.length;
    const drawing = svg('svg', { viewBox: '0 0 ' + width + ' ' + height, role: 'img', 'aria-labelledby': id + '-title', class: 'bars' });
    drawing.appendChild(svg('title', { id: id + '-title' }, name));
    drawing.appendChild(svg('line', { x1: left, y1: base, x2: width, y2: base, class: 'axis' }));
    drawing.appendChild(svg('line', { x1: left, y1: top, x2: width, y2: top, class: 'grid' }));
    drawing.appendChild(svg('text', { x: left - 4, y: top + 4, class: 'scale' }, String(most)));
    drawing.appendChild(svg('text', { x: left - 4, y: base, class: 'scale' }, '0'));
    const total = { offered: 0, answered: 0, missed: 0 };
    spans.forEach((span, i) => {
      const answered = Number(span.answered) || 0;
      const missed = Number(span.missed) || 0;
      total.offered += Number(span.offered) || 0;
      total.answered += answered;
      total.missed += missed;
      const x = left + i * slot + slot * 0.15;
      const barWidth = slot * 0.7;
      const answeredHeight = (answered / most) * (base - top);
      const missedHeight = (missed / most) * (base - top);
      const group = svg('g', { class: 'bar-group' });
      group.dataset.start = span.start;
      group.appendChild(svg('title', {}, WORDS.today.bar(fullLabel(span.start), span)));
      group.appendChild(svg('rect', { x, y: base - answeredHeight, width: barWidth, height: answeredHeight, class: 'answered' }));
      group.appendChild(svg('rect', { x, y: base - answeredHeight - missedHeight, width: barWidth, height: missedHeight, class: 'missed' }));
      if (labelled(i)) {
        group.appendChild(svg('text', { x: x + barWidth / 2, y: base + 16, class: 'label' }, axisLabel(span.start)));
      }
      drawing.appendChild(group);
    });

    const caption = element('figcaption', null, title);
    const summary = element('p', 'summary', WORDS.today.summary(title, total));
    summary.id = id + '-summary';
    drawing.setAttribute('aria-describedby', summary.id);
    const legend = element('ul', 'legend');
    legend.append(element('li', 'answered', WORDS.today.answered), element('li', 'missed', WORDS.today.missed));
    const hidden = element('div', 'visually-hidden');
    const table = hidden.appendChild(element('table'));
    table.appendChild(element('caption', null, name));
    const head = element('tr');
    [column, WORDS.today.calls, WORDS.today.answered, WORDS.today.missed].forEach((text) => {
      const th = element('th', null, text);
      th.scope = 'col';
      head.appendChild(th);
    });
    table.appendChild(element('thead')).appendChild(head);
    const body = table.appendChild(element('tbody'));
    spans.forEach((span) => {
      const row = body.appendChild(element('tr'));
      const when = element('th', null, fullLabel(span.start));
      when.scope = 'row';
      row.append(when, element('td', null, count(span.offered)), element('td', null, count(span.answered)), element('td', null, count(span.missed)));
    });
    figure.replaceChildren(caption, drawing, legend, summary, hidden);
  }

  function drawToday(today) {
    const zone = today.time_zone;
    const lang = document.documentElement.lang || undefined;
    const format = (options) => new Intl.DateTimeFormat(lang, Object.assign({ timeZone: zone }, options));
    const hour = format({ hour: '2-digit', hourCycle: 'h23' });
    const hourMinute = format({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    const weekday = format({ weekday: 'short' });
    const date = format({ weekday: 'short', month: 'short', day: 'numeric' });
    const at = (formatter) => (start) => formatter.format(new Date(start));
    $('tiles').replaceChildren(...tiles(today));
    const hours = today.hours;
    // Every third hour is named, ending with the latest.
    chart($('chart-hours'), 'chart-hours', hours, WORDS.today.hoursTitle, WORDS.today.hoursChart, WORDS.today.hour,
      at(hour), at(hourMinute), (i) => (hours.length - 1 - i) % 3 === 0);
    chart($('chart-days'), 'chart-days', today.days, WORDS.today.daysTitle, WORDS.today.daysChart, WORDS.today.day,
      at(weekday), at(date), () => true);
    say($('today-updated'), WORDS.today.updated(format({ hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
      .format(new Date())), 'quiet updated');
  }

  async function loadToday() {
    if (todayLoading || !signedInNow()) { return; }
    todayLoading = true;
    try {
      const today = await api('GET', '/api/today');
      // Signed out or gone to another page while it was asked for: nothing to draw.
      if (!signedInNow()) { return; }
      drawToday(today);
      say($('today-message'), '');
    } catch (e) {
      if (e instanceof SignedOut) { return; }
      say($('today-message'), WORDS.today.failed(e.message), 'error');
    } finally {
      todayLoading = false;
    }
  }

  /** Loads the page now and every REFRESH_MS while it is in view. */
  function startToday() {
    stopToday();
    if (document.visibilityState !== 'visible') { return; }
    loadToday();
    todayTimer = setInterval(loadToday, REFRESH_MS);
  }

  function stopToday() {
    clearInterval(todayTimer);
    todayTimer = null;
  }

  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState !== 'visible') {
      stopToday();
    } else if (signedInNow() && currentPage() === 'today') {
      startToday();
    }
  });

  // ---- Callbacks: a page of callbacks at a time, in the API's order, with why each is where it is.

  // The API does not say a line's time zone: times are said in the business's (GET /api/today's
  // time_zone), and in the browser's when that cannot be had.
  const clock = { zone: Intl.DateTimeFormat().resolvedOptions().timeZone, day: null, business: false };
  let nextCursor = null;
  let callbacksLoading = false;

  function zoned(options) {
    return new Intl.DateTimeFormat('en-US', Object.assign({ timeZone: clock.zone, hourCycle: 'h23' }, options));
  }

  /** The parts of an instant on the wall clock of the zone shown. */
  function wall(date) {
    const parts = {};
    zoned({ year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(date).forEach((p) => { parts[p.type] = p.value; });
    return parts;
  }

  function dayOf(date) {
    const p = wall(date);
    return p.year + '-' + p.month + '-' + p.day;
  }

  /** A time said as 16:00 today, 08:00 tomorrow, or with its date further off. */
  function timeSaid(iso) {
    if (!iso) { return WORDS.today.none; }
    const date = new Date(iso);
    const p = wall(date);
    const time = p.hour + ':' + p.minute;
    const today = clock.day || dayOf(new Date());
    const tomorrow = new Date(Date.parse(today + 'T12:00:00Z') + 86400000).toISOString().slice(0, 10);
    const day = dayOf(date);
    if (day === today) { return time; }
    if (day === tomorrow) { return WORDS.callbacks.tomorrow(time); }
    return new Intl.DateTimeFormat('en-US', { timeZone: clock.zone, weekday: 'short', month: 'short', day: 'numeric' }).format(date)
      + ', ' + time;
  }

  /** The zone's offset from UTC, in minutes, at an instant. */
  function offsetAt(millis) {
    const p = wall(new Date(millis));
    return Math.round((Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second) - millis) / 60000);
  }

  /** A datetime-local value read on the shown zone's wall clock, with that zone's offset. */
  function withOffset(local) {
    const [date, time] = local.split('T');
    const [y, m, d] = date.split('-').map(Number);
    const [h, min] = time.split(':').map(Number);
    const asUtc = Date.UTC(y, m - 1, d, h, min);
    const offset = offsetAt(asUtc - offsetAt(asUtc) * 60000);
    const abs = Math.abs(offset);
    const pad = (n) => String(n).padStart(2, '0');
    return date + 'T' + pad(h) + ':' + pad(min) + ':00' + (offset < 0 ? '-' : '+') + pad(Math.floor(abs / 60)) + ':' + pad(abs % 60);
  }

  function localValue(iso) {
    const p = wall(new Date(iso));
    return p.year + '-' + p.month + '-' + p.day + 'T' + p.hour + ':' + p.minute;
  }

  function whySaid(why) {
    const reason = why && why.reason;
    const sentence = Object.prototype.hasOwnProperty.call(WORDS.why, reason) ? WORDS.why[reason] : null;
    return sentence ? sentence(why, timeSaid) : word('why', reason);
  }

  function waiting(callback) { return callback.state === 'scheduled'; }

  function callbackItem(callback) {
    const item = element('li', 'callback');
    item.dataset.callback = callback.id;
    drawCallback(item, callback);
    return item;
  }

  function drawCallback(item, callback, said) {
    const w = WORDS.callbacks;
    const head = element('div', 'callback-head');
    head.append(element('strong', 'phone', callback.phone), element('span', 'line', w.line(callback.line)),
      element('span', 'trigger', word('trigger', callback.trigger)), element('span', 'state ' + callback.state, word('state', callback.state)));
    const why = element('p', 'why', whySaid(callback.why));
    const message = element('p', 'message');
    message.setAttribute('role', 'status');
    const parts = [head, why];
    if (waiting(callback)) { parts.push(callbackActions(item, callback, message)); }
    parts.push(message);
    item.replaceChildren(...parts);
    if (said) { say(message, said, 'ok'); }
  }

  function callbackActions(item, callback, message) {
    const w = WORDS.callbacks;
    const box = element('div', 'callback-actions');
    const cancel = element('button', 'cancel', w.cancel);
    cancel.type = 'button';
    const confirm = element('div', 'confirm');
    confirm.hidden = true;
    const sure = element('p', null, w.sure);
    sure.id = 'sure-' + callback.id;
    const yes = element('button', 'cancel-yes primary', w.yes);
    yes.type = 'button';
    yes.setAttribute('aria-describedby', sure.id);
    const keep = element('button', 'cancel-keep', w.keep);
    keep.type = 'button';
    const confirmActions = element('div', 'actions');
    confirmActions.append(yes, keep);
    confirm.append(sure, confirmActions);
    cancel.addEventListener('click', () => {
      confirm.hidden = false;
      cancel.disabled = true;
      keep.focus();
    });
    keep.addEventListener('click', () => {
      confirm.hidden = true;
      cancel.disabled = false;
      cancel.focus();
    });
    yes.addEventListener('click', async () => {
      yes.disabled = true;
      keep.disabled = true;
      try {
        const cancelled = await api('POST', '/api/callbacks/' + encodeURIComponent(callback.id) + '/cancel');
        drawCallback(item, cancelled, w.cancelled);
      } catch (e) {
        if (e instanceof SignedOut) { return; }
        yes.disabled = false;
        keep.disabled = false;
        say(message, w.notCancelled(e.message), 'error');
      }
    });

    const form = element('form', 'move');
    const label = element('label', null, w.moveLabel(callback.phone));
    label.htmlFor = 'move-' + callback.id;
    const field = element('div', 'field');
    const input = element('input');
    input.id = 'move-' + callback.id;
    input.type = 'datetime-local';
    input.required = true;
    if (callback.due_at) { input.value = localValue(callback.due_at); }
    const move = element('button', null, w.move);
    move.type = 'submit';
    field.append(input, move);
    form.append(label, field);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      move.disabled = true;
      say(message, '');
      try {
        const moved = await api('POST', '/api/callbacks/' + encodeURIComponent(callback.id) + '/move', { due_at: withOffset(input.value) });
        drawCallback(item, moved, w.moved(timeSaid(moved.due_at)));
      } catch (e) {
        if (e instanceof SignedOut) { return; }
        say(message, w.notMoved(e.message), 'error');
      } finally {
        move.disabled = false;
      }
    });
    const buttons = element('div', 'actions');
    buttons.appendChild(cancel);
    box.append(buttons, confirm, form);
    return box;
  }

  function filterQuery() {
    const query = new URLSearchParams();
    [['state', 'filter-state'], ['trigger', 'filter-trigger'], ['phone', 'filter-phone'], ['line', 'filter-line']].forEach(([name, id]) => {
      const value = $(id).value.trim();
      if (value) { query.set(name, value); }
    });
    query.set('limit', '50');
    query.set('order', 'newest');
    return query;
  }

  async function loadZone() {
    try {
      const today = await api('GET', '/api/today');
      clock.zone = today.time_zone;
      clock.day = today.day;
      clock.business = true;
    } catch (e) {
      if (e instanceof SignedOut) { throw e; }
      clock.business = false;
      clock.day = null;
    }
    say($('callbacks-zone'), clock.business ? WORDS.callbacks.zone(clock.zone) : WORDS.callbacks.browserZone(clock.zone), 'quiet updated');
  }

  /** Loads the first page, or with {@code more} the next one after those shown. */
  async function loadCallbacks(more) {
    if (callbacksLoading || !signedInNow()) { return; }
    callbacksLoading = true;
    const button = $('callbacks-more');
    button.disabled = true;
    try {
      if (!more) { await loadZone(); }
      const query = filterQuery();
      if (more && nextCursor) { query.set('cursor', nextCursor); }
      const page = await api('GET', '/api/callbacks?' + query.toString());
      if (!signedInNow()) { return; }
      const list = $('callback-list');
      const items = page.items.map(callbackItem);
      if (more) { list.append(...items); } else { list.replaceChildren(...items); }
      nextCursor = page.next_cursor;
      button.hidden = !nextCursor;
      say($('callbacks-message'), list.children.length ? '' : WORDS.callbacks.none, list.children.length ? '' : 'quiet');
    } catch (e) {
      if (e instanceof SignedOut) { return; }
      say($('callbacks-message'), WORDS.callbacks.failed(e.message), 'error');
    } finally {
      callbacksLoading = false;
      button.disabled = false;
    }
  }

  function options(select, kind) {
    const all = element('option', null, WORDS.callbacks.all);
    all.value = '';
    select.replaceChildren(all, ...Object.keys(WORDS[kind]).map((code) => {
      const option = element('option', null, word(kind, code));
      option.value = code;
      return option;
    }));
  }

  options($('filter-state'), 'state');
  options($('filter-trigger'), 'trigger');
  $('callbacks-filter').addEventListener('submit', (event) => {
    event.preventDefault();
    loadCallbacks(false);
  });
  $('callbacks-more').addEventListener('click', () => loadCallbacks(true));

  // ---- Set-up

  // One check as a table row: its name, its state in words, what was found and what to do.
  function checkRow(kind, check, action, found) {
    const row = element('tr', 'check ' + check.result);
    row.dataset.check = kind;
    const name = element('th', null, word('check', kind));
    name.scope = 'row';
    const state = element('td');
    state.appendChild(element('span', 'state ' + check.result, word('result', check.result)));
    const detail = element('td', 'detail', found || check.detail || '');
    detail.dataset.label = WORDS.column.found;
    const fix = element('td', 'fix', check.fix || '');
    if (check.fix) { fix.dataset.label = WORDS.column.fix; }
    if (action) { fix.appendChild(element('div', 'actions')).appendChild(action); }
    row.append(name, state, detail, fix);
    return row;
  }

  // The checks' tables share their columns' widths, so they read as one.
  function columns() {
    const group = element('colgroup');
    ['check', 'state', 'found', 'fix'].forEach((name) => { group.appendChild(element('col', 'col-' + name)); });
    return group;
  }

  function changesTable(changes) {
    const table = element('table');
    const head = element('tr');
    [WORDS.column.field, WORDS.column.now, WORDS.column.wanted].forEach((title) => {
      const th = element('th', null, title);
      th.scope = 'col';
      head.appendChild(th);
    });
    table.appendChild(element('thead')).appendChild(head);
    const body = table.appendChild(element('tbody'));
    changes.forEach((c) => {
      const row = body.appendChild(element('tr'));
      row.dataset.field = c.field;
      const name = element('th', null, word('field', c.field));
      name.scope = 'row';
      const now = element('td', null, c.now || WORDS.text.notSet);
      now.dataset.label = WORDS.column.now;
      const wanted = element('td', null, c.wanted || WORDS.text.cleared);
      wanted.dataset.label = WORDS.column.wanted;
      row.append(name, now, wanted);
    });
    return table;
  }

  // Connect: first what it would change, then, confirmed, the change and the check again.
  function connectButton(line, panel, message) {
    const button = element('button', 'connect-start primary', WORDS.text.connect);
    button.type = 'button';
    button.addEventListener('click', async () => {
      button.disabled = true;
      say(message, WORDS.text.loadingChanges);
      try {
        const preview = await api('GET', '/api/lines/' + encodeURIComponent(line.line) + '/connect');
        say(message, '');
        showChanges(line, preview, panel, message, button);
      } catch (e) {
        if (e instanceof SignedOut) { return; }
        button.disabled = false;
        say(message, WORDS.text.notConnected(e.message), 'error');
      }
    });
    return button;
  }

  function showChanges(line, preview, panel, message, button) {
    const title = element('h4', null, WORDS.text.changesTitle(line.number));
    title.tabIndex = -1;
    const parts = [title];
    if (preview.changes.length) {
      parts.push(changesTable(preview.changes));
    } else {
      parts.push(element('p', null, WORDS.text.noChanges));
    }
    const actions = element('div', 'actions');
    const confirm = element('button', 'connect-confirm primary', WORDS.text.confirm);
    confirm.type = 'button';
    const cancel = element('button', 'connect-cancel', WORDS.text.cancel);
    cancel.type = 'button';
    actions.append(confirm, cancel);
    parts.push(actions);
    panel.replaceChildren(...parts);
    panel.hidden = false;
    title.focus();

    cancel.addEventListener('click', () => {
      panel.hidden = true;
      panel.replaceChildren();
      button.disabled = false;
      button.focus();
    });
    confirm.addEventListener('click', async () => {
      confirm.disabled = true;
      cancel.disabled = true;
      say(message, WORDS.text.connecting);
      try {
        await api('POST', '/api/lines/' + encodeURIComponent(line.line) + '/connect');
        await check(WORDS.text.connected(line.number));
        $('set-up-title').focus();
      } catch (e) {
        if (e instanceof SignedOut) { return; }
        confirm.disabled = false;
        cancel.disabled = false;
        say(message, WORDS.text.notConnected(e.message), 'error');
      }
    });
  }

  function testCallForm(line, index) {
    const form = element('form', 'test-call');
    form.appendChild(element('h4', null, WORDS.text.testTitle));
    const label = element('label', null, WORDS.text.testLabel(line.number));
    label.htmlFor = 'test-to-' + index;
    const field = element('div', 'field');
    const input = element('input');
    input.id = 'test-to-' + index;
    input.type = 'tel';
    input.autocomplete = 'tel';
    input.required = true;
    input.maxLength = 30;
    const button = element('button', null, WORDS.text.testButton);
    button.type = 'submit';
    field.append(input, button);
    const message = element('p', 'message');
    message.setAttribute('role', 'status');
    form.append(label, field, message);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      button.disabled = true;
      say(message, '');
      try {
        const placed = await api('POST', '/api/lines/' + encodeURIComponent(line.line) + '/test-call', { to: input.value });
        say(message, WORDS.text.calling(placed.to), 'ok');
      } catch (e) {
        if (e instanceof SignedOut) { return; }
        say(message, WORDS.text.notCalled(e.message), 'error');
      } finally {
        button.disabled = false;
      }
    });
    return form;
  }

  function lineSection(line, index) {
    const section = element('div', 'line');
    section.dataset.line = line.line;
    const title = element('h3', null, WORDS.text.line(line.line, line.number));
    title.id = 'line-title-' + index;
    const message = element('p', 'message');
    message.setAttribute('role', 'status');
    const panel = element('div', 'connect');
    panel.hidden = true;
    const table = element('table', 'checks');
    table.setAttribute('aria-labelledby', title.id);
    table.appendChild(columns());
    const body = table.appendChild(element('tbody'));
    body.appendChild(checkRow('number_in_account', line.number_in_account));
    const fails = line.webhooks.result === 'fail';
    // The API names the settings by their codes: they are said here in words.
    const found = fails && line.changes.length
      ? line.changes.map((c) => WORDS.text.setTo(word('field', c.field), c.now)).join('; ') : null;
    body.appendChild(checkRow('webhooks', line.webhooks, fails ? connectButton(line, panel, message) : null, found));
    section.append(title, table, message, panel, testCallForm(line, index));
    return section;
  }

  function draw(setup) {
    const general = $('general').tBodies[0];
    general.replaceChildren(checkRow('public_url', setup.public_url), checkRow('credentials', setup.credentials));
    $('lines').replaceChildren(...setup.lines.map(lineSection));
  }

  /** Runs the check and draws it; {@code done} is said once it is drawn. */
  async function check(done) {
    const button = $('check-again');
    button.disabled = true;
    say($('setup-message'), WORDS.text.checking);
    try {
      const setup = await api('GET', '/api/setup');
      signedIn(setup);
      draw(setup);
      say($('setup-message'), done || WORDS.text.checked(new Date().toLocaleTimeString()), done ? 'ok' : '');
    } catch (e) {
      if (e instanceof SignedOut) { return; }
      say($('setup-message'), WORDS.text.failed(e.message), 'error');
      if (trying) { signOut(WORDS.text.failed(e.message)); }
    } finally {
      button.disabled = false;
    }
  }

  $('login-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    trying = $('token').value.trim();
    say($('login-message'), WORDS.text.checking);
    await check();
    if (signedInNow()) { $(currentPage() + '-title').focus(); }
  });
  $('logout').addEventListener('click', () => signOut(''));
  $('check-again').addEventListener('click', () => check());

  if (token()) { check(); } else { signOut(''); }
}());
