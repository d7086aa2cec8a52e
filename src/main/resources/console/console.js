'use strict';
// The agents' console: signs in with the agent's token (kept in this tab only), follows the
// queue over server-sent events, and works one task at a time: claim, call, complete or give back.
(function () {
  const TOKEN = 'ringback.token';
  const $ = (id) => document.getElementById(id);
  let me = null;
  let current = null;
  let renewTimer = null;
  let stream = null;
  // blob: URLs of the voicemails loaded into the customer's file, released when it is drawn again.
  let fileVoicemails = [];

  function token() { return sessionStorage.getItem(TOKEN); }

  class SignedOut extends Error {}

  async function api(method, path, body) {
    const response = await fetch(path, {
      method,
      headers: Object.assign({ Authorization: 'Bearer ' + token() }, body ? { 'Content-Type': 'application/json' } : {}),
      body: body ? JSON.stringify(body) : undefined,
    });
    if (response.status === 401) {
      signOut('Your session has ended: the token is no longer valid. Please sign in again.');
      throw new SignedOut();
    }
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
    if (response.status === 401) {
      signOut('Your session has ended: the token is no longer valid. Please sign in again.');
      throw new SignedOut();
    }
    if (!response.ok) {
      const data = await response.json().catch(() => null);
      throw new Error((data && data.error) || ('error ' + response.status));
    }
    return URL.createObjectURL(await response.blob());
  }

  function forgetVoicemail(audio) {
    if (audio.src.startsWith('blob:')) { URL.revokeObjectURL(audio.src); }
    audio.removeAttribute('src');
    audio.hidden = true;
  }

  // In the customer's file a voicemail is loaded only when the agent asks to hear it.
  function voicemailButton(path) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'voicemail';
    button.textContent = 'Play voicemail';
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        const url = await voicemail(path);
        fileVoicemails.push(url);
        const audio = document.createElement('audio');
        audio.controls = true;
        audio.src = url;
        button.replaceWith(audio);
        audio.play().catch(() => {});
      } catch (e) {
        if (e instanceof SignedOut) { return; }
        button.disabled = false;
        button.textContent = 'Play voicemail (' + e.message + ')';
      }
    });
    return button;
  }

  function show(id, visible) { $(id).hidden = !visible; }

  function signOut(message) {
    sessionStorage.removeItem(TOKEN);
    me = null;
    current = null;
    clearInterval(renewTimer);
    forgetVoicemail($('voicemail'));
    if (stream) { stream.abort(); stream = null; }
    ['who', 'queue-panel', 'task-panel'].forEach((id) => show(id, false));
    show('login', true);
    $('login-message').textContent = message || '';
  }

  async function start() {
    try {
      me = (await api('GET', '/api/agents/me')).data;
    } catch (e) {
      if (!(e instanceof SignedOut)) { signOut(e.message); }
      return;
    }
    $('agent-name').textContent = me.name;
    $('presence').value = me.presence;
    show('login', false);
    show('who', true);
    show('queue-panel', true);
    follow();
  }

  // Server-sent events over fetch, so the token travels in a header and never in a URL.
  async function follow() {
    const controller = new AbortController();
    stream = controller;
    try {
      const response = await fetch('/api/events', { headers: { Authorization: 'Bearer ' + token() }, signal: controller.signal });
      if (response.status === 401) { signOut('Your session has ended: the token is no longer valid. Please sign in again.'); return; }
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
  }

  function age(iso) {
    const minutes = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 60000));
    return minutes < 60 ? minutes + ' min' : Math.round(minutes / 60) + ' h';
  }

  function why(task) {
    const reasons = { retries_exhausted: 'not reached', voicemail: 'voicemail', asked_for_agent: 'asked for a person',
      no_agent_available: 'nobody was free', by_hand: 'by hand', service_recovery: 'poor score: make it right' };
    return task.trigger.replace('_', ' ') + (task.reason ? ' · ' + (reasons[task.reason] || task.reason) : '');
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
      const who = document.createElement('td');
      who.textContent = (task.customer_name || task.phone) + ' ';
      if (task.customer_tier === 'vip') { who.append(badge('VIP', 'vip')); }
      if (task.mine) { who.append(badge('yours', 'mine')); }
      row.append(who, cell(why(task)), cell(task.line), cell(age(task.created_at)));
      const action = document.createElement('td');
      if (task.holder === null) {
        const claim = document.createElement('button');
        claim.type = 'button';
        claim.textContent = 'Claim';
        claim.className = 'claim';
        claim.addEventListener('click', () => claimTask('/api/tasks/' + task.id + '/claim'));
        action.append(claim);
      }
      row.append(action);
      body.append(row);
    });
    const mine = items.find((t) => t.mine);
    if (!current && mine) { work(mine); }
    if (current && !items.some((t) => t.id === current.id && t.mine) && !$('complete-form').hidden) { done(); }
  }

  function cell(text) { const td = document.createElement('td'); td.textContent = text; return td; }
  function badge(text, kind) { const b = document.createElement('span'); b.className = 'badge ' + kind; b.textContent = text; return b; }

  async function claimTask(path) {
    try {
      const claimed = await api('POST', path);
      if (claimed.status === 204) { $('task-message').textContent = ''; alert('Nobody is waiting.'); return; }
      work(claimed.data);
    } catch (e) {
      if (!(e instanceof SignedOut)) { alert(e.message); }
    }
  }

  async function work(task) {
    current = task;
    show('task-panel', true);
    show('complete-form', true);
    $('task-message').textContent = '';
    $('note').value = '';
    const summary = $('task-summary');
    summary.replaceChildren();
    const title = document.createElement('p');
    title.textContent = (task.customer_name || 'Unknown caller') + ' · ' + task.phone + ' · ' + why(task) + ' · line ' + task.line;
    summary.append(title);
    if (task.feedback) {
      const score = document.createElement('p');
      score.className = 'recovery';
      score.textContent = 'Scored ' + task.feedback.score + ' of 5' + (task.feedback.agent ? ' after a call with ' + task.feedback.agent : '')
        + ' (' + new Date(task.feedback.answered_at).toLocaleString() + ', by ' + task.feedback.channel + ').';
      summary.append(score);
    }
    const player = $('voicemail');
    forgetVoicemail(player);
    if (task.recording_url) {
      voicemail(task.recording_url).then((url) => {
        if (current !== task) { URL.revokeObjectURL(url); return; }
        player.src = url;
        player.hidden = false;
      }).catch((e) => {
        if (!(e instanceof SignedOut)) { $('task-message').textContent = 'The voicemail could not be loaded: ' + e.message; }
      });
    }
    clearInterval(renewTimer);
    renewTimer = setInterval(() => api('POST', '/api/tasks/' + task.id + '/renew').catch((e) => {
      if (!(e instanceof SignedOut)) { $('task-message').textContent = e.message; }
    }), 60000);
    loadFile(task.phone);
  }

  async function loadFile(phone) {
    const list = $('timeline');
    list.replaceChildren();
    fileVoicemails.forEach((url) => URL.revokeObjectURL(url));
    fileVoicemails = [];
    try {
      const file = (await api('GET', '/api/customers/' + encodeURIComponent(phone) + '/timeline?limit=50')).data;
      file.items.forEach((entry) => {
        const li = document.createElement('li');
        li.className = 'entry ' + entry.kind;
        const when = document.createElement('span');
        when.className = 'when';
        when.textContent = new Date(entry.at).toLocaleString();
        li.append(when, describe(entry));
        if (entry.detail.recording_url) { li.append(voicemailButton(entry.detail.recording_url)); }
        list.append(li);
      });
    } catch (e) {
      if (e instanceof SignedOut) { return; }
      const li = document.createElement('li');
      li.textContent = 'No history yet.';
      list.append(li);
    }
  }

  function describe(entry) {
    const d = entry.detail;
    switch (entry.kind) {
      case 'call': return 'Called in' + (d.outcome ? ': ' + d.outcome : '')
        + (d.rings ? ', answered after ' + d.rings + ' rings' : '') + (d.answered_by_agent ? ' by ' + d.answered_by_agent : '');
      case 'callback': return 'Callback (' + d.trigger + '): ' + d.state + (d.outcome ? ', ' + d.outcome : '') + (d.completed_by ? ' by ' + d.completed_by : '');
      case 'callback_attempt': return 'Called back, attempt ' + d.attempt + (d.outcome ? ': ' + d.outcome : '') + (d.agent ? ' with ' + d.agent : '');
      case 'feedback': return d.score ? 'Scored ' + d.score + ' of 5' + (d.agent ? ' (' + d.agent + ')' : '') + ' by ' + d.channel
        : 'Asked for a score by ' + d.channel + (d.state === 'ignored' ? ': no answer' : '');
      case 'order': return 'Order ' + (d.number || d.order_id) + (d.total ? ' · ' + d.total + ' ' + (d.currency || '') : '');
      case 'note': return 'Note' + (d.agent ? ' by ' + d.agent : '') + (d.outcome ? ' (' + d.outcome + ')' : '') + ': ' + d.note;
      default: return entry.kind;
    }
  }

  function done() {
    current = null;
    forgetVoicemail($('voicemail'));
    clearInterval(renewTimer);
    show('task-panel', false);
  }

  $('login-form').addEventListener('submit', (e) => {
    e.preventDefault();
    sessionStorage.setItem(TOKEN, $('token').value.trim());
    $('token').value = '';
    start();
  });
  $('logout').addEventListener('click', () => signOut(''));
  $('presence').addEventListener('change', () => api('PUT', '/api/agents/me/presence', { presence: $('presence').value })
    .catch((e) => { if (!(e instanceof SignedOut)) { alert(e.message); } }));
  $('claim-next').addEventListener('click', () => claimTask('/api/tasks/next'));
  $('complete-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!current) { return; }
    try {
      const note = $('note').value.trim();
      await api('POST', '/api/tasks/' + current.id + '/complete', Object.assign({ outcome: $('outcome').value }, note ? { note } : {}));
      const phone = current.phone;
      done();
      // The file stays in view with the note just written.
      show('task-panel', true);
      show('complete-form', false);
      $('task-message').textContent = 'Completed.';
      loadFile(phone);
    } catch (err) {
      if (!(err instanceof SignedOut)) { $('task-message').textContent = err.message; }
    }
  });
  $('release').addEventListener('click', async () => {
    if (!current) { return; }
    try { await api('POST', '/api/tasks/' + current.id + '/release'); done(); } catch (e) {
      if (!(e instanceof SignedOut)) { $('task-message').textContent = e.message; }
    }
  });
  $('do-not-call').addEventListener('click', async () => {
    if (!current || !confirm('Never call ' + (current.customer_name || current.phone) + ' again?')) { return; }
    try {
      const phone = current.phone;
      await api('PUT', '/api/customers/' + encodeURIComponent(phone) + '/do-not-call',
        { do_not_call: true, reason: 'Asked ' + (me ? me.name : 'an agent') + ' not to be called again.' });
      done();
      show('task-panel', true);
      show('complete-form', false);
      $('task-message').textContent = 'On the do-not-call list.';
      loadFile(phone);
    } catch (e) {
      if (!(e instanceof SignedOut)) { $('task-message').textContent = e.message; }
    }
  });
  $('call').addEventListener('click', async () => {
    if (!current) { return; }
    try {
      await api('POST', '/api/tasks/' + current.id + '/call');
      $('task-message').textContent = 'Calling your phone… answer it and the customer is dialled.';
    } catch (e) {
      if (!(e instanceof SignedOut)) { $('task-message').textContent = e.message; }
    }
  });

  if (token()) { start(); } else { signOut(''); }
})();
