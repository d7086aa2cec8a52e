'use strict';
// The Callbacks page: a page of callbacks at a time, in the API's order, with why each is where it
// is; a waiting one can be cancelled or moved.
(function (admin) {
  const { $, api, element, say, word, SignedOut } = admin;
  const signedInNow = admin.signedIn;
  const WORDS = admin.words({
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
      expired: (w) => 'Given up after ' + admin.attemptsSaid(w.attempts),
      failed: (w) => 'Failed' + (w.attempts && w.attempts.length ? ' after ' + admin.attemptsSaid(w.attempts) : ''),
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
  });

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

  admin.page('callbacks', {
    show() { loadCallbacks(false); },
    reset() {
      $('callback-list').replaceChildren();
      $('callbacks-more').hidden = true;
      nextCursor = null;
      say($('callbacks-zone'), '');
      say($('callbacks-message'), '');
    },
  });
}(window.RingbackAdmin));
