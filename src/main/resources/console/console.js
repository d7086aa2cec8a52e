'use strict';
// The agents' console: signs in with the agent's token (kept in this tab only), follows the
// queue over server-sent events, and works one task at a time: claim, call, complete or give back.
(function () {
  const TOKEN = 'ringback.token';
  const ALERTS = 'ringback.alerts';
  const FOLLOWED_CALL = 'ringback.call';
  const $ = (id) => document.getElementById(id);

  // Every word the API returns, as an agent reads it: one table, so no code reaches the screen.
  const WORDS = {
    // callbacks.state
    state: {
      scheduled: 'waiting to be called back', dialing: 'being called now', agent_queue: "in the agents' queue", done: 'done',
      cancelled: 'cancelled', expired: 'given up: not reached', failed: 'failed',
    },
    // callbacks.trigger: why the callback was promised
    trigger: {
      order: 'new order', missed: 'missed call', abandoned: 'hung up before an answer', dropped: 'call cut short',
      voicemail: 'voicemail', after_hours: 'called after hours', scheduled: 'asked for a time', manual: 'by hand',
      feedback: 'poor score', text: 'texted us',
    },
    // tasks' reason: why a person calls back
    reason: {
      retries_exhausted: 'not reached by the automatic calls', voicemail: 'voicemail', asked_for_agent: 'asked for a person',
      no_agent_available: 'nobody was free', by_hand: 'by hand', service_recovery: 'make it right',
      text_reply: 'texted us: read their message',
    },
    // how an attempt, a callback or a task ended (attempts' outcomes and the agents' own)
    outcome: {
      connected: 'talked with an agent', no_answer: 'no answer', busy: 'line busy', machine: 'answering machine',
      no_agent: 'answered, but no agent was free', failed: 'the call failed', cancelled: 'cancelled',
      expired: 'given up: not reached', api_error: 'the call could not be placed',
      agent_not_accepted: "the agent's phone was not answered: the customer was not called",
      reached: 'reached', wrong_number: 'wrong number', resolved_other_way: 'resolved another way',
    },
    // how an inbound call ended
    call: {
      answered: 'answered', missed: 'missed: nobody answered', abandoned: 'hung up before an answer', dropped: 'cut short',
      busy: 'busy', failed: 'failed', voicemail: 'sent to voicemail', machine: 'answering machine',
    },
    direction: { inbound: 'Called in', callback: 'Called back' },
    presence: { available: 'available', busy: 'busy', offline: 'offline', away: 'away' },
    tier: { standard: 'standard', vip: 'VIP' },
    channel: { voice: 'on the phone keypad', sms: 'by text message' },
    feedback: { asked: 'asked', answered: 'answered', ignored: 'no answer' },
    // texts we sent: why, and what became of them
    text: {
      text_back: 'Texted after the missed call', last_attempt: 'Texted after the last attempt', reply: 'Answered their text',
      feedback: 'Texted the score question',
    },
    text_result: {
      sent: 'sent', delivered: 'delivered', undelivered: 'not delivered', failed: 'failed', refused: 'refused by Twilio',
      not_mobile: 'not sent: not a mobile number', do_not_call: 'not sent: do not call', opted_out: 'not sent: they replied STOP',
      unable: 'not sent: texts do not reach this number',
    },
    // what a customer's text was read as
    read_as: {
      time: 'a time for the callback', now: 'call me now', opt_out: 'STOP: no more texts', opt_in: 'START: texts again',
      score: 'a score', other: 'for a person to read',
    },
    // a click-to-connect call as it goes
    stage: {
      calling_agent: 'Calling your phone…', ringing_agent: 'Your phone is ringing: answer it',
      agent_answered: 'Connected to you: dialling the customer…', ringing_customer: 'Ringing the customer…',
      talking: 'Talking with the customer', ended: 'Call ended',
    },
    // why such a call ended, by the attempt's outcome
    ended: {
      connected: 'you talked with the customer', no_answer: 'the customer did not answer', busy: "the customer's line was busy",
      machine: 'an answering machine answered', no_agent: 'the customer answered, but the call was not put through',
      failed: 'the call to the customer failed', agent_not_accepted: 'your phone was not answered: the customer was not called',
    },
  };

  /** The word for an API code; a code the table lacks still reads as words. */
  function word(kind, code) {
    if (code === null || code === undefined || code === '') { return ''; }
    const table = WORDS[kind] || {};
    return Object.prototype.hasOwnProperty.call(table, code) ? table[code] : String(code).replace(/_/g, ' ');
  }

  /** Words joined, each once. */
  function phrase(words, separator) {
    const seen = [];
    words.forEach((w) => { if (w && !seen.includes(w)) { seen.push(w); } });
    return seen.join(separator || ' · ');
  }

  function duration(seconds) {
    const s = Math.max(0, Math.round(Number(seconds)));
    if (s < 60) { return s + ' s'; }
    if (s < 3600) { return Math.floor(s / 60) + ' min' + (s % 60 ? ' ' + (s % 60) + ' s' : ''); }
    return Math.floor(s / 3600) + ' h' + (Math.floor(s / 60) % 60 ? ' ' + (Math.floor(s / 60) % 60) + ' min' : '');
  }

  function clock(seconds) {
    const s = Math.max(0, Math.floor(seconds));
    return Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0');
  }

  const REFUSED = 'That token was not accepted. Check that you copied all of it, and try again.';
  const ENDED = 'Your session has ended: your token was replaced or revoked. Please sign in again with your new token.';

  let me = null;
  let current = null;
  let renewTimer = null;
  let todayTimer = null;
  let stream = null;
  // The token being tried at sign-in, before it is known to work.
  let trying = null;
  // Free tasks already seen, so only new ones are announced; null until the first queue arrives.
  let known = null;
  let audio = null;
  let call = null;
  // blob: URLs of the voicemails loaded into the customers' files, released when a file is drawn again.
  let fileVoicemails = [];
  // Each file list's latest load: an answer to an earlier one is not drawn over it.
  const fileLoads = new Map();
  // Tasks this console closed: a queue sent before the close, arriving after it, does not open them again.
  const finished = new Set();

  function token() { return trying || sessionStorage.getItem(TOKEN); }

  class SignedOut extends Error {}

  function unauthorized() {
    if (trying) {
      signOut(REFUSED);
    } else {
      signOut(ENDED);
    }
    return new SignedOut();
  }

  async function api(method, path, body) {
    const response = await fetch(path, {
      method,
      headers: Object.assign({ Authorization: 'Bearer ' + token() }, body ? { 'Content-Type': 'application/json' } : {}),
      body: body ? JSON.stringify(body) : undefined,
    });
    if (response.status === 401) { throw unauthorized(); }
    const text = await response.text();
    const data = text ? JSON.parse(text) : null;
    if (!response.ok) {
      throw new Error((data && data.error) || ('error ' + response.status));
    }
    return { status: response.status, data };
  }

  // A voicemail plays through Ringback: fetched with the token (an <audio src> cannot send it)
  // and played from a blob: URL, which the caller releases when done with it.
  async function voicemail(path) {
    const response = await fetch(path, { headers: { Authorization: 'Bearer ' + token() } });
    if (response.status === 401) { throw unauthorized(); }
    if (!response.ok) {
      const data = await response.json().catch(() => null);
      throw new Error((data && data.error) || ('error ' + response.status));
    }
    return URL.createObjectURL(await response.blob());
  }

  function forgetVoicemail(player) {
    if (player.src.startsWith('blob:')) { URL.revokeObjectURL(player.src); }
    player.removeAttribute('src');
    player.hidden = true;
  }

  // In a customer's file a voicemail is loaded only when the agent asks to hear it.
  function voicemailButton(path) {
    const button = element('button', 'voicemail', 'Play voicemail');
    button.type = 'button';
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        const url = await voicemail(path);
        fileVoicemails.push(url);
        const player = document.createElement('audio');
        player.controls = true;
        player.src = url;
        button.replaceWith(player);
        player.play().catch(() => {});
      } catch (e) {
        if (e instanceof SignedOut) { return; }
        button.disabled = false;
        button.textContent = 'Play voicemail (' + e.message + ')';
      }
    });
    return button;
  }

  function element(tag, className, text) {
    const el = document.createElement(tag);
    if (className) { el.className = className; }
    if (text !== undefined) { el.textContent = text; }
    return el;
  }

  function show(id, visible) { $(id).hidden = !visible; }

  // The task panel, or in its place a word that there is none.
  function showTask(visible) {
    show('task-panel', visible);
    show('task-idle', !visible);
  }

  /** A message in place: kind 'ok' for what went well, 'error' for what did not, nothing for news. */
  function say(id, text, kind) {
    $(id).textContent = text || '';
    $(id).className = 'message' + (kind ? ' ' + kind : '');
  }

  function signOut(message) {
    sessionStorage.removeItem(TOKEN);
    sessionStorage.removeItem(FOLLOWED_CALL);
    trying = null;
    me = null;
    current = null;
    known = null;
    clearInterval(renewTimer);
    clearInterval(todayTimer);
    stopFollowingCall();
    forgetVoicemail($('voicemail'));
    if (stream) { stream.abort(); stream = null; }
    ['who', 'work-column', 'task-column'].forEach((id) => show(id, false));
    showTask(false);
    $('live').classList.remove('on');
    show('login', true);
    say('login-message', message, 'error');
  }

  async function start() {
    try {
      me = (await api('GET', '/api/agents/me')).data;
    } catch (e) {
      if (!(e instanceof SignedOut)) { signOut(e.message); }
      return;
    }
    if (trying) {
      sessionStorage.setItem(TOKEN, trying);
      trying = null;
    }
    $('agent-name').textContent = me.name;
    $('presence').value = me.presence;
    say('login-message', '');
    show('login', false);
    show('who', true);
    show('work-column', true);
    show('task-column', true);
    $('alerts').checked = localStorage.getItem(ALERTS) === 'on';
    follow();
    loadToday();
    clearInterval(todayTimer);
    todayTimer = setInterval(loadToday, 5 * 60000);
  }

  // Server-sent events over fetch, so the token travels in a header and never in a URL.
  async function follow() {
    const controller = new AbortController();
    stream = controller;
    try {
      const response = await fetch('/api/events', { headers: { Authorization: 'Bearer ' + token() }, signal: controller.signal });
      if (response.status === 401) { signOut(ENDED); return; }
      $('live').classList.add('on');
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) { break; }
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          event(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch (e) {
      if (controller.signal.aborted) { return; }
    }
    $('live').classList.remove('on');
    if (stream === controller && token()) { setTimeout(follow, 2000); }
  }

  function event(block) {
    let name = 'message';
    let data = '';
    block.split('\n').forEach((line) => {
      if (line.startsWith('event:')) { name = line.slice(6).trim(); }
      if (line.startsWith('data:')) { data += line.slice(5).trim(); }
    });
    if (name === 'queue' && data) { renderQueue(JSON.parse(data).items); }
    if (name === 'me' && data) { $('presence').value = JSON.parse(data).presence; }
    if (name === 'signed-out') { signOut(ENDED); }
  }

  function age(iso) {
    const minutes = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 60000));
    if (minutes < 1) { return 'just now'; }
    return minutes < 60 ? minutes + ' min' : Math.round(minutes / 60) + ' h';
  }

  function why(task) {
    return phrase([word('trigger', task.trigger), word('reason', task.reason)]);
  }

  function who(task) {
    return task.customer_name || task.phone;
  }

  function renderQueue(all) {
    // Tasks another agent holds are theirs: only free tasks and this agent's own are shown.
    const items = all.filter((t) => t.holder === null || t.mine);
    const body = $('queue').querySelector('tbody');
    body.replaceChildren();
    $('queue-count').textContent = '(' + items.length + ')';
    show('queue-empty', items.length === 0);
    items.forEach((task) => {
      const row = document.createElement('tr');
      row.dataset.taskId = task.id;
      const name = element('td', '', who(task));
      if (task.customer_tier === 'vip') { name.append(badge(word('tier', 'vip'), 'vip')); }
      if (task.mine) { name.append(badge('yours', 'mine')); }
      row.append(name, element('td', '', why(task)), element('td', '', 'line ' + task.line), element('td', '', age(task.created_at)));
      const action = document.createElement('td');
      if (task.holder === null) {
        const claim = element('button', 'claim', 'Claim');
        claim.type = 'button';
        claim.addEventListener('click', () => claimTask('/api/tasks/' + task.id + '/claim'));
        action.append(claim);
      }
      row.append(action);
      body.append(row);
    });
    announce(items.filter((t) => t.holder === null));
    finished.forEach((id) => { if (!all.some((t) => t.id === id)) { finished.delete(id); } });
    const mine = items.find((t) => t.mine && !finished.has(t.id));
    if (!current && mine) { work(mine); }
    if (current && !items.some((t) => t.id === current.id && t.mine) && !$('completing').hidden) { done(); }
  }

  function badge(text, kind) { return element('span', 'badge ' + kind, text); }

  // A task that arrived since the last queue: told on screen, and, when the agent opted in, with a sound and a notification.
  function announce(free) {
    const arrived = known === null ? [] : free.filter((t) => !known.has(t.id));
    known = new Set(free.map((t) => t.id));
    if (arrived.length === 0) { return; }
    const first = arrived[0];
    const text = 'New task: ' + who(first) + ' (' + why(first) + ')' + (arrived.length > 1 ? ' and ' + (arrived.length - 1) + ' more' : '');
    $('queue-news').textContent = text;
    if (!$('alerts').checked) { return; }
    chime();
    if ('Notification' in window && Notification.permission === 'granted') {
      try {
        new Notification('New task for you', { body: text, tag: 'ringback-task', icon: 'favicon.svg' });
      } catch (e) {
        // Some browsers show notifications only from a service worker: the sound and the line on screen remain.
      }
    }
  }

  // Two short tones made on the spot: no audio file to load.
  function chime() {
    try {
      audio = audio || new AudioContext();
      if (audio.state === 'suspended') { audio.resume().catch(() => {}); }
      const now = audio.currentTime;
      [660, 880].forEach((frequency, i) => {
        const start = now + i * 0.18;
        const tone = audio.createOscillator();
        const volume = audio.createGain();
        tone.type = 'sine';
        tone.frequency.value = frequency;
        volume.gain.setValueAtTime(0.0001, start);
        volume.gain.exponentialRampToValueAtTime(0.2, start + 0.02);
        volume.gain.exponentialRampToValueAtTime(0.0001, start + 0.16);
        tone.connect(volume).connect(audio.destination);
        tone.start(start);
        tone.stop(start + 0.17);
      });
    } catch (e) {
      // No sound where the browser has no audio.
    }
  }

  async function claimTask(path) {
    try {
      const claimed = await api('POST', path);
      if (claimed.status === 204) { $('queue-news').textContent = 'Nobody is waiting.'; return; }
      finished.delete(claimed.data.id);
      work(claimed.data);
    } catch (e) {
      if (!(e instanceof SignedOut)) { $('queue-news').textContent = e.message; }
    }
  }

  function work(task) {
    current = task;
    showTask(true);
    show('completing', true);
    $('task-title').textContent = 'Your task';
    say('task-message', '');
    $('note').value = '';
    $('outcome').value = '';
    $('retry-at').value = '';
    show('retry-at-field', false);
    $('complete').disabled = true;
    $('call').disabled = false;
    show('call', true);
    stopFollowingCall();
    const summary = $('task-summary');
    summary.replaceChildren();
    const title = element('p', 'who');
    title.append(element('strong', '', task.customer_name || 'Unknown caller'));
    if (task.customer_tier === 'vip') { title.append(badge(word('tier', 'vip'), 'vip')); }
    summary.append(title, element('p', '', phrase([task.phone, why(task), 'line ' + task.line])));
    if (task.attempts > 0) {
      summary.append(element('p', 'quiet', 'Called ' + task.attempts + (task.attempts === 1 ? ' time' : ' times') + ' before.'));
    }
    if (task.text) {
      summary.append(element('p', 'recovery', 'They texted (' + new Date(task.text.received_at).toLocaleString() + '): “'
        + task.text.body + '”'));
    }
    if (task.feedback) {
      const f = task.feedback;
      const agent = f.agent_name || f.agent;
      summary.append(element('p', 'recovery', 'Scored ' + f.score + ' of 5' + (agent ? ' after a call with ' + agent : '')
        + ' (' + new Date(f.answered_at).toLocaleString() + ', ' + word('channel', f.channel) + ').'));
    }
    const player = $('voicemail');
    forgetVoicemail(player);
    if (task.recording_url) {
      voicemail(task.recording_url).then((url) => {
        if (current !== task) { URL.revokeObjectURL(url); return; }
        player.src = url;
        player.hidden = false;
      }).catch((e) => {
        if (!(e instanceof SignedOut)) { say('task-message', 'The voicemail could not be loaded: ' + e.message, 'error'); }
      });
    }
    clearInterval(renewTimer);
    renewTimer = setInterval(() => api('POST', '/api/tasks/' + task.id + '/renew').catch((e) => {
      if (!(e instanceof SignedOut)) { say('task-message', e.message, 'error'); }
    }), 60000);
    loadFile(task.phone, $('timeline'), $('customer-card'));
    // A call placed from this tab before a reload is followed again.
    const followed = JSON.parse(sessionStorage.getItem(FOLLOWED_CALL) || 'null');
    if (followed && followed.task === task.id) { followCall(task); }
  }

  /** The customer's record (tier, notes) into {@code card}, and their file, newest first, into {@code list}. */
  async function loadFile(phone, list, card) {
    // The file on screen stays until the new one is in; a load overtaken by a later one is dropped.
    const load = (fileLoads.get(list) || 0) + 1;
    fileLoads.set(list, load);
    let file = null;
    try {
      file = (await api('GET', '/api/customers/' + encodeURIComponent(phone) + '/timeline?limit=50')).data;
    } catch (e) {
      if (e instanceof SignedOut) { return; }
    }
    if (fileLoads.get(list) !== load) { return; }
    if (list === $('timeline')) {
      fileVoicemails.forEach((url) => URL.revokeObjectURL(url));
      fileVoicemails = [];
    }
    if (!file) {
      card.replaceChildren(element('p', 'quiet', 'Not a customer on file yet.'));
      list.replaceChildren(element('li', '', 'No history yet.'));
      return;
    }
    card.replaceChildren(customerCard(file.customer, file.do_not_call, file.texts));
    const items = file.items.map((entry) => {
      const li = element('li', 'entry ' + entry.kind);
      li.append(element('span', 'when', new Date(entry.at).toLocaleString()), describe(entry));
      if (entry.detail.recording_url) { li.append(' ', voicemailButton(entry.detail.recording_url)); }
      return li;
    });
    list.replaceChildren(...(items.length ? items : [element('li', 'quiet', 'No history yet.')]));
  }

  // What the business knows of the customer beside their name: their tier and notes.
  function customerCard(customer, doNotCall, texts) {
    const card = element('div', 'customer');
    if (!customer) {
      card.append(element('p', 'quiet', 'Not a customer on file yet.'));
    } else {
      const tier = element('p');
      tier.append(customer.tier === 'vip' ? badge(word('tier', 'vip') + ' customer', 'vip')
        : element('span', 'quiet', word('tier', customer.tier) + ' customer'));
      card.append(tier);
      const notes = element('p', 'notes');
      notes.append(element('span', 'quiet', 'Notes: '), customer.notes || 'none');
      card.append(notes);
    }
    if (doNotCall) { card.append(element('p', 'recovery', 'On the do-not-call list: never call this number.')); }
    if (texts && texts.opted_out) { card.append(element('p', 'quiet', 'Replied STOP: gets no texts from us (calls are fine).')); }
    if (texts && texts.unable) { card.append(element('p', 'quiet', 'Texts do not reach this number.')); }
    return card;
  }

  // An agent by name; a phone that is no registered agent's by its number.
  function agentOf(name, nameOrNumber) {
    return name || (nameOrNumber ? 'the phone ' + nameOrNumber : '');
  }

  function describe(entry) {
    const d = entry.detail;
    switch (entry.kind) {
      case 'call': {
        const answeredBy = agentOf(d.agent_name, d.answered_by_agent);
        const how = d.outcome === 'answered' && d.ring_seconds !== null && d.ring_seconds !== undefined
          ? 'answered after ' + duration(d.ring_seconds) : word('call', d.outcome);
        return word('direction', d.direction) + (how ? ': ' + how : '') + (answeredBy ? ' by ' + answeredBy : '');
      }
      case 'callback':
        return 'Callback (' + phrase([word('trigger', d.trigger), word('reason', d.reason)]) + '): '
          + phrase([word('state', d.state), word('outcome', d.outcome)], ', ') + (d.completed_by ? ' by ' + d.completed_by : '');
      case 'callback_attempt': {
        const agent = agentOf(d.agent_name, d.agent);
        if (d.outcome === 'agent_not_accepted') {
          // The customer was not called: no attempt of theirs.
          return agent ? agent + "'s phone was not answered: the customer was not called" : word('outcome', d.outcome);
        }
        const how = d.outcome === 'connected' && agent ? 'talked with ' + agent
          : phrase([d.outcome ? word('outcome', d.outcome) : 'under way', agent ? 'called by ' + agent : ''], ', ');
        return 'Called back, attempt ' + d.attempt + ': ' + how;
      }
      case 'feedback': {
        const agent = agentOf(d.agent_name, d.agent);
        return d.score ? 'Scored ' + d.score + ' of 5' + (agent ? ' after a call with ' + agent : '') + ', ' + word('channel', d.channel)
          : 'Asked for a score ' + word('channel', d.channel) + (d.state === 'ignored' ? ': ' + word('feedback', d.state) : '');
      }
      case 'text':
        return word('text', d.kind) + ' (' + word('text_result', d.result || d.state) + (d.error_code ? ', error ' + d.error_code : '')
          + '): “' + d.body + '”';
      case 'text_reply': return 'They texted (' + word('read_as', d.read_as) + '): “' + d.body + '”';
      case 'order': return 'Order ' + (d.number || d.order_id) + (d.total ? ' · ' + d.total + ' ' + (d.currency || '') : '');
      case 'note': return 'Note' + (d.agent ? ' by ' + d.agent : '') + (d.outcome ? ' (' + word('outcome', d.outcome) + ')' : '') + ': ' + d.note;
      default: return entry.kind.replace(/_/g, ' ');
    }
  }

  function done() {
    if (current) { finished.add(current.id); }
    current = null;
    forgetVoicemail($('voicemail'));
    clearInterval(renewTimer);
    stopFollowingCall();
    sessionStorage.removeItem(FOLLOWED_CALL);
    showTask(false);
  }

  // After the task is closed its file stays in view, with what was just written.
  function closed(phone, message) {
    done();
    showTask(true);
    show('completing', false);
    show('call', false);
    $('task-title').textContent = 'Last task';
    say('task-message', message, 'ok');
    loadFile(phone, $('timeline'), $('customer-card'));
    loadToday();
  }

  // A click-to-connect call, followed every second from the calls' events until it ends.
  function followCall(task) {
    stopFollowingCall();
    const followed = { task: task.id, stage: null, timer: null, poll: null, talked: null };
    call = followed;
    sessionStorage.setItem(FOLLOWED_CALL, JSON.stringify({ task: task.id }));
    $('call').disabled = true;
    show('call-progress', true);
    $('call-progress').classList.remove('ended');
    $('call-stage').textContent = word('stage', 'calling_agent');
    $('call-timer').textContent = '';
    followed.timer = setInterval(() => tickTimer(followed), 500);
    const poll = async () => {
      if (call !== followed) { return; }
      try {
        const now = (await api('GET', '/api/tasks/' + task.id + '/call')).data;
        if (call !== followed) { return; }
        showCall(followed, now);
        if (now.stage === 'ended') { return; }
      } catch (e) {
        if (e instanceof SignedOut) { return; }
      }
      followed.poll = setTimeout(poll, 1000);
    };
    poll();
  }

  function showCall(followed, now) {
    followed.stage = now.stage;
    followed.talked = now.talked_seconds === null ? null : { seconds: now.talked_seconds, at: Date.now() };
    if (now.stage !== 'ended') {
      $('call-stage').textContent = word('stage', now.stage);
      tickTimer(followed);
      return;
    }
    clearInterval(followed.timer);
    sessionStorage.removeItem(FOLLOWED_CALL);
    $('call-progress').classList.add('ended');
    const how = word('ended', now.outcome);
    $('call-stage').textContent = word('stage', 'ended') + (how ? ': ' + how : '.');
    $('call-timer').textContent = now.talked_seconds ? '(' + duration(now.talked_seconds) + ')' : '';
    $('call').disabled = false;
    say('task-message', 'Choose how it went, then complete the task.');
    if (current && current.id === followed.task) { loadFile(current.phone, $('timeline'), $('customer-card')); }
  }

  function tickTimer(followed) {
    if (followed.stage === 'talking' && followed.talked) {
      $('call-timer').textContent = clock(followed.talked.seconds + (Date.now() - followed.talked.at) / 1000);
    } else if (followed.stage !== 'ended') {
      $('call-timer').textContent = '';
    }
  }

  function stopFollowingCall() {
    if (call) {
      clearInterval(call.timer);
      clearTimeout(call.poll);
      call = null;
    }
    show('call-progress', false);
    $('call').disabled = false;
  }

  async function loadToday() {
    if (!me) { return; }
    try {
      const zone = encodeURIComponent(Intl.DateTimeFormat().resolvedOptions().timeZone || '');
      const day = (await api('GET', '/api/agents/me/today' + (zone ? '?time_zone=' + zone : ''))).data;
      $('today-completed').textContent = day.tasks_completed;
      $('today-reached').textContent = day.reached;
      $('today-average').textContent = day.average_handling_seconds === null ? '–' : duration(day.average_handling_seconds);
    } catch (e) {
      // The figures wait for the next try.
    }
  }

  async function search(query) {
    const results = $('search-results');
    results.replaceChildren();
    $('search-message').textContent = 'Searching…';
    try {
      const found = (await api('GET', '/api/customers?limit=20&q=' + encodeURIComponent(query))).data;
      $('search-message').textContent = found.items.length === 0 ? 'Nobody found for “' + query + '”.'
        : found.items.length + (found.next_cursor ? '+' : '') + ' found.';
      found.items.forEach((customer) => results.append(searchResult(customer)));
    } catch (e) {
      if (!(e instanceof SignedOut)) { $('search-message').textContent = e.message; }
    }
  }

  function searchResult(customer) {
    const li = element('li');
    li.dataset.phone = customer.phone;
    const line = element('div', 'found');
    const name = element('span');
    name.append(element('strong', '', customer.name || 'No name on file'), ' ' + customer.phone);
    if (customer.tier === 'vip') { name.append(badge(word('tier', 'vip'), 'vip')); }
    const open = element('button', 'open-file', 'Show file');
    open.type = 'button';
    line.append(name, open);
    li.append(line);
    let detail = null;
    open.addEventListener('click', () => {
      if (detail) {
        detail.remove();
        detail = null;
        open.textContent = 'Show file';
        return;
      }
      detail = element('div', 'detail');
      const card = element('div');
      const list = element('ol', 'file');
      const message = element('p', 'message', '');
      detail.append(card, callbackButton(customer.phone, message), message, list);
      li.append(detail);
      open.textContent = 'Hide file';
      loadFile(customer.phone, list, card);
    });
    return li;
  }

  // A task by hand for a person to call the customer, on one of the agent's lines.
  function callbackButton(phone, message) {
    const actions = element('div', 'actions');
    let line = null;
    if (me.lines.length > 1) {
      line = element('select');
      line.setAttribute('aria-label', 'Line');
      me.lines.forEach((id) => { const option = element('option', '', 'line ' + id); option.value = id; line.append(option); });
      actions.append(line);
    }
    const add = element('button', 'add-task', 'Add a callback task');
    add.type = 'button';
    add.addEventListener('click', async () => {
      add.disabled = true;
      try {
        const filed = await api('POST', '/api/tasks', { phone, line: line ? line.value : me.lines[0] });
        message.textContent = filed.status === 201 ? 'Added to the queue.' : 'Already in the queue.';
        message.className = 'message ok';
      } catch (e) {
        if (e instanceof SignedOut) { return; }
        message.textContent = e.message;
        message.className = 'message error';
      }
      add.disabled = false;
    });
    actions.append(add);
    return actions;
  }

  $('login-form').addEventListener('submit', (e) => {
    e.preventDefault();
    trying = $('token').value.trim();
    $('token').value = '';
    start();
  });
  $('logout').addEventListener('click', () => signOut(''));
  $('presence').addEventListener('change', () => api('PUT', '/api/agents/me/presence', { presence: $('presence').value })
    .catch((e) => { if (!(e instanceof SignedOut)) { $('queue-news').textContent = e.message; } }));
  $('claim-next').addEventListener('click', () => claimTask('/api/tasks/next'));
  $('alerts').addEventListener('change', () => {
    const on = $('alerts').checked;
    localStorage.setItem(ALERTS, on ? 'on' : 'off');
    if (!on) { return; }
    // Made while the agent clicks, so the browser lets it play later.
    if (window.AudioContext) {
      audio = audio || new AudioContext();
      audio.resume().catch(() => {});
    }
    if ('Notification' in window && Notification.permission === 'default') {
      Notification.requestPermission().catch(() => {});
    }
  });
  $('outcome').addEventListener('change', () => {
    $('complete').disabled = !$('outcome').value;
    // Nobody answered: the callback goes back to the dialler, at the usual wait or when the agent says.
    show('retry-at-field', $('outcome').value === 'no_answer');
  });
  $('complete-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!current || !$('outcome').value) { return; }
    try {
      const note = $('note').value.trim();
      const body = { outcome: $('outcome').value };
      if (note) { body.note = note; }
      const retryAt = $('outcome').value === 'no_answer' && $('retry-at').value;
      if (retryAt) { body.retry_at = new Date(retryAt).toISOString(); }
      const after = (await api('POST', '/api/tasks/' + current.id + '/complete', body)).data;
      closed(current.phone, after && after.state === 'scheduled' && after.due_at
        ? 'Back to the dialler: it calls again at ' + new Date(after.due_at).toLocaleString() + '.'
        : 'Completed.');
    } catch (err) {
      if (!(err instanceof SignedOut)) { say('task-message', err.message, 'error'); }
    }
  });
  $('release').addEventListener('click', async () => {
    if (!current) { return; }
    try { await api('POST', '/api/tasks/' + current.id + '/release'); done(); } catch (e) {
      if (!(e instanceof SignedOut)) { say('task-message', e.message, 'error'); }
    }
  });
  $('do-not-call').addEventListener('click', async () => {
    if (!current || !confirm('Never call ' + who(current) + ' again?')) { return; }
    try {
      await api('PUT', '/api/customers/' + encodeURIComponent(current.phone) + '/do-not-call',
        { do_not_call: true, reason: 'Asked ' + (me ? me.name : 'an agent') + ' not to be called again.' });
      closed(current.phone, 'On the do-not-call list.');
    } catch (e) {
      if (!(e instanceof SignedOut)) { say('task-message', e.message, 'error'); }
    }
  });
  $('call').addEventListener('click', async () => {
    if (!current) { return; }
    const task = current;
    $('call').disabled = true;
    say('task-message', '');
    try {
      await api('POST', '/api/tasks/' + task.id + '/call');
      if (current === task) { followCall(task); }
    } catch (e) {
      $('call').disabled = false;
      if (!(e instanceof SignedOut)) { say('task-message', e.message, 'error'); }
    }
  });
  $('search-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const query = $('search').value.trim();
    if (query) { search(query); }
  });

  if (token()) { start(); } else { signOut(''); }
})();
