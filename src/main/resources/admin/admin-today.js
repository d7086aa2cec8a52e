'use strict';
// The Today page: whether callers are being lost. The day's figures as tiles, and two bar charts
// drawn here (no library), kept up to date while the page is in view.
(function (admin) {
  const { $, api, element, say, SignedOut } = admin;
  const signedInNow = admin.signedIn;
  const WORDS = admin.words({
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
  });

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
    } else if (signedInNow() && admin.current() === 'today') {
      startToday();
    }
  });

  // ---- Callbacks: a page of callbacks at a time, in the API's order, with why each is where it is.

  admin.page('today', {
    show: startToday,
    hide: stopToday,
    reset() {
      stopToday();
      $('tiles').replaceChildren();
      $('chart-hours').replaceChildren();
      $('chart-days').replaceChildren();
      say($('today-updated'), '');
      say($('today-message'), '');
    },
  });
}(window.RingbackAdmin));
