'use strict';
// The Customers page: search by name or number a page at a time; a customer's record to edit,
// their place on the do-not-call list and their whole file in words; and the CSV import, whose
// preview says what it would add, update and reject before anything is written.
(function (admin) {
  const { $, api, element, say, word, SignedOut } = admin;
  const signedInNow = admin.signedIn;
  const WORDS = admin.words({
    tier: { standard: 'Standard', vip: 'VIP' },
    // the customer fields an import changes
    customerField: { name: 'Name', tier: 'Tier', language: 'Language', time_zone: 'Time zone', notes: 'Notes' },
    // how an inbound call ended
    call: {
      answered: 'answered', missed: 'missed: nobody answered', abandoned: 'hung up before an answer', dropped: 'cut short',
      busy: 'busy', failed: 'failed', voicemail: 'sent to voicemail', machine: 'answering machine',
    },
    direction: { inbound: 'Called in', callback: 'Called back' },
    channel: { voice: 'on the phone keypad', sms: 'by text message' },
    // an agent's outcome written with a note
    noteOutcome: {
      reached: 'reached', no_answer: 'no answer', wrong_number: 'wrong number', resolved_other_way: 'resolved another way',
      voicemail: 'left a voicemail', busy: 'busy',
    },
    // texts we sent: why, and what became of them
    textKind: {
      text_back: 'Texted after the missed call', last_attempt: 'Texted after the last attempt', reply: 'Answered their text',
      feedback: 'Texted the score question',
    },
    textResult: {
      sent: 'sent', delivered: 'delivered', undelivered: 'not delivered', failed: 'failed', refused: 'refused by Twilio',
      not_mobile: 'not sent: not a mobile number', do_not_call: 'not sent: do not call', opted_out: 'not sent: they replied STOP',
      unable: 'not sent: texts do not reach this number', queued: 'waiting to be sent', sending: 'being sent',
    },
    // what a customer's text was read as
    readAs: {
      time: 'a time for the callback', now: 'call me now', opt_out: 'STOP: no more texts', opt_in: 'START: texts again',
      score: 'a score', other: 'for a person to read',
    },
    customers: {
      failed: (why) => 'The customers could not be loaded: ' + why,
      none: 'No customer matches.',
      nobody: 'No customers yet: add them with a CSV file below.',
      noName: 'No name',
      open: (name) => 'Open ' + name,
      fileFailed: (why) => 'The file could not be loaded: ' + why,
      saved: 'Saved.',
      notSaved: (why) => 'Not saved: ' + why,
      callable: 'This number may be called back.',
      listed: 'On the do-not-call list: this number is never called back (calls from it still come through).',
      list: 'Put on the do-not-call list',
      unlist: 'Take off the do-not-call list',
      listedNow: (cancelled) => 'On the do-not-call list now' + (cancelled ? '; ' + cancelled + (cancelled === 1
        ? ' waiting callback was cancelled.' : ' waiting callbacks were cancelled.') : '.'),
      unlistedNow: 'Taken off the do-not-call list: it may be called back again.',
      dncFailed: (why) => 'Not changed: ' + why,
      optedOut: 'Replied STOP: gets no texts from us (calls are fine).',
      unable: 'Texts do not reach this number.',
      empty: 'Nothing in the file yet.',
      zone: (zone) => 'Newest first. Times are in ' + zone + ', the business\'s time zone.',
      browserZone: (zone) => 'Newest first. Times are in ' + zone + ', this browser\'s time zone.',
      // the file, in words
      callback: (trigger, reason) => 'Callback promised (' + trigger + (reason ? ', ' + reason : '') + ')',
      callbackNow: (state, outcome, by) => state + (outcome ? ': ' + outcome : '') + (by ? ' by ' + by : ''),
      attempt: (n, how) => 'Called back, attempt ' + n + ': ' + how,
      underWay: 'under way',
      talkedWith: (agent) => 'talked with ' + agent,
      calledBy: (agent) => 'called by ' + agent,
      notAccepted: (agent) => (agent ? agent + "'s" : "The agent's") + ' phone was not answered: the customer was not called',
      thePhone: (number) => 'the phone ' + number,
      answeredAfter: (seconds) => 'answered after ' + seconds + ' s',
      by: (agent) => ' by ' + agent,
      voicemail: ' · left a voicemail',
      scored: (score, agent, channel) => 'Scored ' + score + ' of 5' + (agent ? ' after a call with ' + agent : '') + ', ' + channel,
      asked: (channel, ignored) => 'Asked for a score ' + channel + (ignored ? ': no answer' : ''),
      text: (kind, result, code, body) => kind + ' (' + result + (code ? ', error ' + code : '') + '): “' + body + '”',
      reply: (readAs, body) => 'They texted (' + readAs + '): “' + body + '”',
      order: (number, total) => 'Order ' + number + (total ? ' · ' + total : ''),
      note: (agent, outcome, note) => 'Note' + (agent ? ' by ' + agent : '') + (outcome ? ' (' + outcome + ')' : '') + ': ' + note,
      // the import
      emptyFile: 'The file is empty.',
      choose: 'Choose a CSV file first.',
      checking: 'Reading the file…',
      importing: 'Importing…',
      notRead: (why) => 'The file could not be read: ' + why,
      previewSaid: (p) => 'This file would add ' + p.added + (p.added === 1 ? ' customer' : ' customers') + ', update '
        + p.updated + ' and reject ' + p.rejected_count + (p.rejected_count === 1 ? ' row' : ' rows')
        + '. Nothing is written until you import it.',
      addedTitle: (n) => 'Would be added (' + n + ')',
      updatedTitle: (n) => 'Would be updated (' + n + ')',
      rejectedTitle: (n) => 'Would be rejected (' + n + ')',
      firstOnly: (shown, all) => 'The first ' + shown + ' of ' + all + ' are listed.',
      line: 'Line', phone: 'Number', name: 'Name', tierColumn: 'Tier', language: 'Language', zoneColumn: 'Time zone',
      changes: 'What changes', why: 'Why',
      change: (field, from, to) => field + ': ' + (from || '(empty)') + ' → ' + to,
      noChange: 'Nothing changes',
      importButton: (n) => 'Import ' + n + (n === 1 ? ' customer' : ' customers'),
      imported: (r) => 'Imported: ' + r.added + ' added, ' + r.updated + ' updated, ' + r.rejected_count
        + (r.rejected_count === 1 ? ' row' : ' rows') + ' rejected.',
      notImported: (why) => 'Not imported: ' + why,
    },
  });
  const W = WORDS.customers;
  const LANGUAGES = ['en-US', 'en-GB', 'es-ES', 'es-MX', 'ro-RO', 'ru-RU', 'cmn-CN'];
  const PAGE = 25;

  const clock = { zone: Intl.DateTimeFormat().resolvedOptions().timeZone, business: false };
  let nextCursor = null;
  let loading = false;
  let opened = null;
  let fileCursor = null;
  let sampleUrl = null;
  // The file as previewed: the import sends exactly what was shown.
  let previewed = null;

  function path(phone) { return '/api/customers/' + encodeURIComponent(phone); }

  function nameOf(customer) { return customer.name || W.noName; }

  // ---- Search

  function customerItem(customer) {
    const item = element('li', 'customer-row');
    item.dataset.phone = customer.phone;
    const open = element('button', 'open', nameOf(customer));
    open.type = 'button';
    open.setAttribute('aria-label', W.open(nameOf(customer) + ', ' + customer.phone));
    open.addEventListener('click', () => openCustomer(customer.phone));
    item.append(open, element('span', 'phone', customer.phone));
    if (customer.tier === 'vip') { item.append(element('span', 'badge', word('tier', 'vip'))); }
    return item;
  }

  async function search(more) {
    if (loading || !signedInNow()) { return; }
    loading = true;
    const button = $('customers-more');
    button.disabled = true;
    try {
      const query = new URLSearchParams({ limit: String(PAGE) });
      const typed = $('customers-q').value.trim();
      if (typed) { query.set('q', typed); }
      if (more && nextCursor) { query.set('cursor', nextCursor); }
      const page = await api('GET', '/api/customers?' + query.toString());
      if (!signedInNow()) { return; }
      const list = $('customer-list');
      const items = page.items.map(customerItem);
      if (more) { list.append(...items); } else { list.replaceChildren(...items); }
      nextCursor = page.next_cursor;
      button.hidden = !nextCursor;
      say($('customers-message'), list.children.length ? '' : (typed ? W.none : W.nobody), 'quiet');
    } catch (e) {
      if (e instanceof SignedOut) { return; }
      say($('customers-message'), W.failed(e.message), 'error');
    } finally {
      loading = false;
      button.disabled = false;
    }
  }

  // ---- A customer: the record, do-not-call, the file

  async function loadZone() {
    try {
      const today = await api('GET', '/api/today');
      clock.zone = today.time_zone;
      clock.business = true;
    } catch (e) {
      if (e instanceof SignedOut) { throw e; }
      clock.business = false;
    }
  }

  function timeSaid(iso) {
    return new Intl.DateTimeFormat('en-GB', {
      timeZone: clock.zone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit',
      hourCycle: 'h23',
    }).format(new Date(iso));
  }

  async function openCustomer(phone) {
    say($('customers-message'), '');
    try {
      if (!clock.business) { await loadZone(); }
      const file = await api('GET', path(phone) + '/timeline?limit=50');
      if (!signedInNow()) { return; }
      opened = { phone, doNotCall: file.do_not_call, customer: file.customer };
      showRecord(file.customer, phone);
      showDoNotCall(file.do_not_call);
      showTexts(file.texts);
      say($('customer-saved'), '');
      say($('customer-dnc-message'), '');
      say($('customer-zone-note'), clock.business ? W.zone(clock.zone) : W.browserZone(clock.zone), 'quiet updated');
      showEntries(file, false);
      $('customer-file').hidden = false;
      $('customer-title').focus();
    } catch (e) {
      if (e instanceof SignedOut) { return; }
      say($('customers-message'), W.fileFailed(e.message), 'error');
    }
  }

  function showRecord(customer, phone) {
    const c = customer || {};
    $('customer-title').textContent = c.name || phone;
    $('customer-phone').textContent = phone;
    $('customer-name').value = c.name || '';
    $('customer-tier').value = c.tier || 'standard';
    $('customer-language').value = c.language || '';
    $('customer-zone').value = c.time_zone || '';
    $('customer-notes').value = c.notes || '';
  }

  function showDoNotCall(listed) {
    say($('customer-dnc-state'), listed ? W.listed : W.callable, listed ? 'error' : 'quiet');
    $('customer-dnc').textContent = listed ? W.unlist : W.list;
    $('customer-dnc-why').hidden = listed;
  }

  function showTexts(texts) {
    const said = [];
    if (texts && texts.opted_out) { said.push(W.optedOut); }
    if (texts && texts.unable) { said.push(W.unable); }
    say($('customer-texts'), said.join(' '), 'quiet');
  }

  function showEntries(file, more) {
    const list = $('customer-timeline');
    const items = file.items.map((entry) => {
      const li = element('li', 'entry ' + entry.kind);
      li.append(element('span', 'when', timeSaid(entry.at)), element('span', 'what', describe(entry)));
      return li;
    });
    if (more) { list.append(...items); } else { list.replaceChildren(...items); }
    if (!list.children.length) { list.append(element('li', 'quiet', W.empty)); }
    fileCursor = file.next_cursor;
    $('customer-timeline-more').hidden = !fileCursor;
  }

  async function olderEntries() {
    if (!opened || !fileCursor) { return; }
    const button = $('customer-timeline-more');
    button.disabled = true;
    try {
      const file = await api('GET', path(opened.phone) + '/timeline?limit=50&cursor=' + encodeURIComponent(fileCursor));
      showEntries(file, true);
    } catch (e) {
      if (e instanceof SignedOut) { return; }
      say($('customer-zone-note'), W.fileFailed(e.message), 'error');
    } finally {
      button.disabled = false;
    }
  }

  // An agent by name; a phone that is no registered agent's by its number.
  function agentOf(name, nameOrNumber) {
    return name || (nameOrNumber ? W.thePhone(nameOrNumber) : '');
  }

  function describe(entry) {
    const d = entry.detail || {};
    switch (entry.kind) {
      case 'call': {
        const agent = agentOf(d.agent_name, d.answered_by_agent);
        const how = d.outcome === 'answered' && d.ring_seconds !== null && d.ring_seconds !== undefined
          ? W.answeredAfter(Math.round(d.ring_seconds)) : word('call', d.outcome);
        return word('direction', d.direction || 'inbound') + (how ? ': ' + how : '') + (agent ? W.by(agent) : '')
          + (d.recording_url ? W.voicemail : '');
      }
      case 'callback':
        return W.callback(word('trigger', d.trigger), word('taskReason', d.reason)) + ': '
          + W.callbackNow(word('state', d.state), word('outcome', d.outcome), d.completed_by);
      case 'callback_attempt': {
        const agent = agentOf(d.agent_name, d.agent);
        if (d.outcome === 'agent_not_accepted') { return W.notAccepted(agent); }
        const how = d.outcome === 'connected' && agent ? W.talkedWith(agent)
          : (d.outcome ? word('outcome', d.outcome) : W.underWay) + (agent ? ', ' + W.calledBy(agent) : '');
        return W.attempt(d.attempt, how);
      }
      case 'feedback': {
        const agent = agentOf(d.agent_name, d.agent);
        return d.score ? W.scored(d.score, agent, word('channel', d.channel)) : W.asked(word('channel', d.channel), d.state === 'ignored');
      }
      case 'text':
        return W.text(word('textKind', d.kind), word('textResult', d.result || d.state), d.error_code, d.body || '');
      case 'text_reply': return W.reply(word('readAs', d.read_as), d.body || '');
      case 'order':
        return W.order(d.number || d.order_id, d.total ? d.total + (d.currency ? ' ' + d.currency : '') : '');
      case 'note': return W.note(d.agent, word('noteOutcome', d.outcome), d.note || '');
      default: return word('kind', entry.kind);
    }
  }

  async function save(event) {
    event.preventDefault();
    if (!opened) { return; }
    const button = $('customer-form').querySelector('button[type=submit]');
    button.disabled = true;
    say($('customer-saved'), '');
    const body = {
      name: $('customer-name').value.trim(), tier: $('customer-tier').value, language: $('customer-language').value.trim(),
      time_zone: $('customer-zone').value.trim(), notes: $('customer-notes').value.trim(),
    };
    try {
      const saved = await api('PUT', path(opened.phone), body);
      opened.customer = saved;
      showRecord(saved, opened.phone);
      const row = Array.from($('customer-list').children).find((li) => li.dataset.phone === opened.phone);
      if (row) { row.replaceWith(customerItem(saved)); }
      say($('customer-saved'), W.saved, 'ok');
    } catch (e) {
      if (e instanceof SignedOut) { return; }
      say($('customer-saved'), W.notSaved(e.message), 'error');
    } finally {
      button.disabled = false;
    }
  }

  async function toggleDoNotCall() {
    if (!opened) { return; }
    const button = $('customer-dnc');
    const listing = !opened.doNotCall;
    button.disabled = true;
    say($('customer-dnc-message'), '');
    try {
      const body = { do_not_call: listing };
      const reason = $('customer-dnc-reason').value.trim();
      if (listing && reason) { body.reason = reason; }
      const done = await api('PUT', path(opened.phone) + '/do-not-call', body);
      opened.doNotCall = done.do_not_call;
      $('customer-dnc-reason').value = '';
      showDoNotCall(done.do_not_call);
      say($('customer-dnc-message'), done.do_not_call ? W.listedNow(done.cancelled_callbacks) : W.unlistedNow, 'ok');
      const file = await api('GET', path(opened.phone) + '/timeline?limit=50');
      showEntries(file, false);
    } catch (e) {
      if (e instanceof SignedOut) { return; }
      say($('customer-dnc-message'), W.dncFailed(e.message), 'error');
    } finally {
      button.disabled = false;
    }
  }

  // ---- The import

  /** The sample file, fetched with the token and offered as a download from this page. */
  async function offerSample() {
    if (sampleUrl) { return; }
    try {
      const text = await api('GET', '/api/customers/import/sample.csv');
      if (!signedInNow()) { return; }
      sampleUrl = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
      $('customers-sample').href = sampleUrl;
      $('customers-sample').hidden = false;
    } catch (e) {
      if (e instanceof SignedOut) { return; }
      $('customers-sample').hidden = true;
    }
  }

  function table(caption, headings, rows) {
    const t = element('table', 'import-rows');
    t.append(element('caption', null, caption));
    const head = element('tr');
    headings.forEach((h) => {
      const th = element('th', null, h);
      th.scope = 'col';
      head.append(th);
    });
    const thead = element('thead');
    thead.append(head);
    const tbody = element('tbody');
    rows.forEach((cells) => {
      const tr = element('tr');
      cells.forEach((cell, i) => {
        const td = element('td', null, cell === null || cell === undefined ? '' : String(cell));
        td.dataset.label = headings[i];
        tr.append(td);
      });
      tbody.append(tr);
    });
    t.append(thead, tbody);
    return t;
  }

  function changesSaid(changes) {
    if (!changes.length) { return W.noChange; }
    return changes.map((c) => W.change(word('customerField', c.field),
      c.field === 'tier' ? word('tier', c.from) : c.from, c.field === 'tier' ? word('tier', c.to) : c.to)).join('; ');
  }

  function showPreview(p) {
    const box = $('import-preview');
    const parts = [element('p', 'preview-said', W.previewSaid(p))];
    const listed = (shown, all) => (shown < all ? [element('p', 'quiet', W.firstOnly(shown, all))] : []);
    if (p.added) {
      parts.push(table(W.addedTitle(p.added), [W.line, W.phone, W.name, W.tierColumn, W.language, W.zoneColumn],
        p.added_rows.map((r) => [r.line, r.customer.phone, r.customer.name, word('tier', r.customer.tier), r.customer.language,
          r.customer.time_zone])), ...listed(p.added_rows.length, p.added));
    }
    if (p.updated) {
      parts.push(table(W.updatedTitle(p.updated), [W.line, W.phone, W.name, W.changes],
        p.updated_rows.map((r) => [r.line, r.phone, r.name, changesSaid(r.changes)])), ...listed(p.updated_rows.length, p.updated));
    }
    if (p.rejected_count) {
      parts.push(table(W.rejectedTitle(p.rejected_count), [W.line, W.why], p.rejected.map((r) => [r.line, r.reason])),
        ...listed(p.rejected.length, p.rejected_count));
    }
    box.replaceChildren(...parts);
    box.hidden = false;
    const go = $('import-go');
    go.textContent = W.importButton(p.added + p.updated);
    go.hidden = p.added + p.updated === 0;
    go.disabled = false;
  }

  function clearImport() {
    previewed = null;
    $('import-preview').replaceChildren();
    $('import-preview').hidden = true;
    $('import-go').hidden = true;
    say($('import-message'), '');
    say($('import-result'), '');
  }

  async function preview(event) {
    if (event) { event.preventDefault(); }
    clearImport();
    const file = $('import-file').files[0];
    if (!file) {
      say($('import-message'), W.choose, 'error');
      return;
    }
    say($('import-message'), W.checking, 'quiet');
    try {
      const text = await file.text();
      if (!text) {
        say($('import-message'), W.emptyFile, 'error');
        return;
      }
      const said = await api('POST', '/api/customers/import?preview=true', text);
      if (!signedInNow()) { return; }
      previewed = text;
      say($('import-message'), '');
      showPreview(said);
    } catch (e) {
      if (e instanceof SignedOut) { return; }
      say($('import-message'), W.notRead(e.message), 'error');
    }
  }

  async function importFile() {
    if (previewed === null) { return; }
    const go = $('import-go');
    go.disabled = true;
    say($('import-result'), W.importing, 'quiet');
    try {
      const result = await api('POST', '/api/customers/import', previewed);
      previewed = null;
      go.hidden = true;
      say($('import-result'), W.imported(result), 'ok');
      search(false);
    } catch (e) {
      if (e instanceof SignedOut) { return; }
      go.disabled = false;
      say($('import-result'), W.notImported(e.message), 'error');
    }
  }

  // ---- Set-up

  $('customer-tier').replaceChildren(...Object.keys(WORDS.tier).map((code) => {
    const option = element('option', null, word('tier', code));
    option.value = code;
    return option;
  }));
  $('customer-languages').replaceChildren(...LANGUAGES.map((tag) => {
    const option = element('option');
    option.value = tag;
    return option;
  }));
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  $('customer-zones').replaceChildren(...zones.map((zone) => {
    const option = element('option');
    option.value = zone;
    return option;
  }));

  $('customers-search').addEventListener('submit', (event) => {
    event.preventDefault();
    search(false);
  });
  $('customers-more').addEventListener('click', () => search(true));
  $('customer-form').addEventListener('submit', save);
  $('customer-dnc').addEventListener('click', toggleDoNotCall);
  $('customer-timeline-more').addEventListener('click', olderEntries);
  $('import-form').addEventListener('submit', preview);
  $('import-file').addEventListener('change', () => preview(null));
  $('import-go').addEventListener('click', importFile);

  admin.page('customers', {
    show() {
      search(false);
      offerSample();
    },
    reset() {
      $('customer-list').replaceChildren();
      $('customers-more').hidden = true;
      $('customers-q').value = '';
      say($('customers-message'), '');
      $('customer-file').hidden = true;
      $('customer-timeline').replaceChildren();
      opened = null;
      nextCursor = null;
      fileCursor = null;
      clock.business = false;
      if (sampleUrl) { URL.revokeObjectURL(sampleUrl); }
      sampleUrl = null;
      $('customers-sample').hidden = true;
      $('customers-sample').removeAttribute('href');
      $('import-file').value = '';
      clearImport();
    },
  });
}(window.RingbackAdmin));
