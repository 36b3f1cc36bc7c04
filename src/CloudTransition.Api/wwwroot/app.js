// The project managers' page: everything comes from the public API, as the person signed in (a session cookie the page
// never sees) or with the key the reader entered.
const KEY = 'cloudtransition-key';
const TENANT = 'cloudtransition-tenant';
const REFRESH_MS = 30_000;
const $ = (id) => document.getElementById(id);
const state = { sort: { field: 'organisation', direction: 1 }, portfolio: [], charts: {}, me: null };

const text = (value) => (value === null || value === undefined ? '—' : String(value));
const kebabToWords = (value) => text(value).replaceAll('-', ' ');
const percent = (value) => `${Number(value).toFixed(1)}%`;
const number = (value, digits = 0) => (value === null || value === undefined ? '—' : Number(value).toLocaleString('en-GB', { maximumFractionDigits: digits }));

function element(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (name === 'className') node.className = value;
    else if (name === 'text') node.textContent = value;
    else node.setAttribute(name, value);
  }
  for (const child of children) node.append(child);
  return node;
}

// ---- routing: #/ is the portfolio, #/t/{id} a transition; ?asOf=yyyy-mm-dd for the past.
function route() {
  const [path, query] = location.hash.replace(/^#/, '').split('?');
  const params = new URLSearchParams(query ?? '');
  const match = /^\/t\/([^/]+)$/.exec(path ?? '');
  return { transition: match ? decodeURIComponent(match[1]) : null, asOfDate: params.get('asOf') };
}

function go(transition, asOfDate) {
  const path = transition ? `/t/${encodeURIComponent(transition)}` : '/';
  location.hash = asOfDate ? `${path}?asOf=${asOfDate}` : path;
}

/** A day chosen in the as-of control means "as it stood at the end of that day" (UTC). */
const asOfInstant = (date) => (date ? `${date}T23:59:59.999Z` : null);

// ---- API
class Refused extends Error {}
class Unreachable extends Error {}

/** The key the reader entered, or nothing: a signed-in page's session cookie goes along by itself (its changes with the CSRF token /api/me gave). */
function credentials(changing = false) {
  const key = sessionStorage.getItem(KEY);
  if (key) return { Authorization: `Bearer ${key}` };
  return changing && state.me?.csrfToken ? { 'X-CSRF-Token': state.me.csrfToken } : {};
}

function refusal(status) {
  if (sessionStorage.getItem(KEY)) return 'That key was refused. Enter a valid viewer key (or higher).';
  return status === 403 ? 'Your account has no role here any more: ask your admin, or sign in again.' : 'Sign in, or enter an API key.';
}

/** A read with the page's key or session; as of the page's chosen day unless `current` (what is not a view: who the key is, subscriptions). */
async function api(path, { current = false } = {}) {
  const asOf = current ? null : asOfInstant(route().asOfDate);
  const url = asOf ? `${path}${path.includes('?') ? '&' : '?'}asOf=${encodeURIComponent(asOf)}` : path;
  let response;
  try {
    response = await fetch(url, { headers: { ...credentials(), Accept: 'application/json' } });
  } catch {
    throw new Unreachable('The service cannot be reached. Check your connection; the page retries every 30 seconds.');
  }
  if (response.status === 401 || response.status === 403) throw new Refused(refusal(response.status));
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    throw new Error(problem.detail ?? problem.title ?? `The service answered ${response.status}.`);
  }
  return response.json();
}

/** A state-changing call (registering a sender): the same key, JSON in and out; a refusal is said in the page's message line. */
async function apiPost(path, body) {
  const response = await fetch(path, {
    method: 'POST',
    headers: { ...credentials(true), Accept: 'application/json', 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status === 403) throw new Error('Registering a device needs the contributor role (or higher).');
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    throw new Error(problem.detail ?? problem.title ?? `The service answered ${response.status}.`);
  }
  return response.json();
}

/** A report or an export, fetched with the key (a plain link would carry none) and handed to the browser as a download. */
async function download(path, accept) {
  const asOf = asOfInstant(route().asOfDate);
  const url = asOf ? `${path}${path.includes('?') ? '&' : '?'}asOf=${encodeURIComponent(asOf)}` : path;
  const response = await fetch(url, { headers: { ...credentials(), Accept: accept } });
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    throw new Error(problem.detail ?? problem.title ?? `The service answered ${response.status}.`);
  }
  const named = /filename\*=UTF-8''([^;]+)/i.exec(response.headers.get('Content-Disposition') ?? '');
  const link = element('a', { href: URL.createObjectURL(await response.blob()), download: named ? decodeURIComponent(named[1]) : 'download' });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
}

function showMessage(message) {
  $('message').textContent = message ?? '';
  $('message').hidden = !message;
}

function showOnly(section) {
  for (const id of ['key-prompt', 'portfolio', 'transition']) $(id).hidden = id !== section;
}

function askForKey(reason) {
  sessionStorage.removeItem(KEY);
  state.me = null;
  showWho();
  showOnly('key-prompt');
  showMessage(reason);
  $('sign-in-tenant').value = localStorage.getItem(TENANT) ?? '';
  ($('sign-in-tenant').value ? $('key') : $('sign-in-tenant')).focus();
}

// ---- who is reading: a signed-in person sees their name, can switch organisation (a partner's staff work for several) and sign out.
function showWho() {
  const me = state.me;
  const person = me && !me.keyId;
  $('who').hidden = !me;
  $('who').textContent = me ? `${me.name}${me.actor.upn ? ` (${me.actor.upn})` : ''} · ${me.tenant} · ${me.role}` : '';
  $('sign-out').hidden = !person;
  $('change-key').hidden = person;
  const picker = $('tenant-picker');
  picker.hidden = !person || me.tenants.length < 2;
  if (!picker.hidden) picker.replaceChildren(...me.tenants.map((t) => element('option', { value: t.tenant, text: `${t.tenant} (${t.role})` })));
  if (!picker.hidden) picker.value = me.tenant;
}

async function sessionCall(path, body) {
  const response = await fetch(path, {
    method: 'POST', body: JSON.stringify(body ?? {}),
    headers: { ...credentials(true), Accept: 'application/json', 'Content-Type': 'application/json' },
  });
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    throw new Error(problem.detail ?? problem.title ?? `The service answered ${response.status}.`);
  }
  return response.status === 204 ? null : response.json();
}

async function signOut() {
  const { redirect } = await sessionCall('/auth/signout');
  state.me = null;
  location.href = redirect;
}

async function switchTenant(tenant) {
  await sessionCall('/auth/tenant', { tenant });
  localStorage.setItem(TENANT, tenant);
  state.me = null;
  go(null, null);
  await refresh();
}

// ---- portfolio
function sortedRows() {
  const { field, direction } = state.sort;
  return [...state.portfolio].sort((a, b) => {
    const x = a[field] ?? '', y = b[field] ?? '';
    return (x < y ? -1 : x > y ? 1 : 0) * direction;
  });
}

function renderPortfolio() {
  const body = $('portfolio-table').querySelector('tbody');
  body.replaceChildren(...sortedRows().map((row) => {
    const link = element('a', { href: `#/t/${encodeURIComponent(row.id)}${route().asOfDate ? `?asOf=${route().asOfDate}` : ''}`, text: row.organisation });
    const tr = element('tr', { 'data-id': row.id },
      element('td', {}, link), element('td', { text: kebabToWords(row.phase) }),
      element('td', { className: 'num', text: percent(row.percentDone) }),
      element('td', { className: 'num', text: number(row.remainingDependencies) }),
      element('td', { className: 'num', text: number(row.openSupportCases) }),
      element('td', { className: 'num', text: number(row.lateWaves) }),
      element('td', { className: 'num', text: number(row.stalledMoves) }),
      element('td', { text: text(row.forecastCompletion), title: row.forecastBasis ?? '' }));
    tr.addEventListener('click', (event) => { if (event.target.tagName !== 'A') go(row.id, route().asOfDate); });
    return tr;
  }));
  for (const th of $('portfolio-table').querySelectorAll('th')) {
    const field = th.querySelector('button').dataset.sort;
    if (field === state.sort.field) th.setAttribute('aria-sort', state.sort.direction > 0 ? 'ascending' : 'descending');
    else th.removeAttribute('aria-sort');
  }
  $('portfolio-empty').hidden = state.portfolio.length > 0;
  $('portfolio-table').hidden = state.portfolio.length === 0;
}

async function showPortfolio() {
  const portfolio = await api('/api/portfolio');
  state.portfolio = portfolio.transitions;
  showOnly('portfolio');
  renderPortfolio();
  await renderSubscriptions();
}

// Admins only (GET /api/me says whether the key is one): where the tenant's events and alerts go, and how the last deliveries went.
async function renderSubscriptions() {
  const admin = state.me?.mayAdminister ?? (await api('/api/me', { current: true })).mayAdminister;
  $('notifications').hidden = !admin;
  if (!admin) return;
  const subscriptions = await api('/api/subscriptions', { current: true });
  const rows = await Promise.all(subscriptions.map(async (s) => {
    const deliveries = await api(`/api/subscriptions/${encodeURIComponent(s.subscriptionId)}/deliveries?limit=5`, { current: true });
    const stateText = s.state === 'disabled' ? `disabled: ${s.disabledReason}` : s.failingSince ? `failing since ${s.failingSince.slice(0, 16).replace('T', ' ')} UTC` : 'active';
    const last = element('ul', { className: 'deliveries' }, ...deliveries.map((d) => element('li', { className: `delivery ${d.state}`,
      text: `${d.event}: ${d.state}${d.lastStatus ? ` (HTTP ${d.lastStatus})` : d.lastError ? ` (${d.lastError})` : ''}, ${d.attempts} attempt${d.attempts === 1 ? '' : 's'}` })));
    return element('tr', { 'data-subscription': s.subscriptionId, className: s.state },
      element('td', { text: s.name }), element('td', { text: s.target }), element('td', { text: kebabToWords(s.format) }),
      element('td', { className: 'state', text: stateText }), element('td', {}, deliveries.length ? last : element('span', { className: 'empty', text: 'none yet' })));
  }));
  $('subscriptions-table').querySelector('tbody').replaceChildren(...rows);
  $('subscriptions-table').hidden = rows.length === 0;
  $('notifications-empty').hidden = rows.length > 0;
}

// ---- one transition
function renderProgress(dashboard) {
  $('progress').replaceChildren(...dashboard.progress.map((p) => {
    const fill = element('div', { className: 'fill' });
    fill.style.width = `${p.percent}%`;
    const track = element('div', { className: 'track', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(p.percent), 'aria-label': `${kebabToWords(p.category)} done` }, fill);
    const label = element('div', { className: 'label' }, element('span', { text: categoryName(p.category) }),
      element('span', { className: 'progress-figures', 'data-category': p.category, text: p.total === 0 ? 'none recorded yet' : `${p.done} / ${p.total} · ${percent(p.percent)}` }));
    return element('li', {}, label, track);
  }));
}

const categoryNames = { mailboxes: 'Mailboxes', devices: 'Relay devices', hybridEndpoints: 'Hybrid endpoints', directory: 'Directory', components: 'Components', blockers: 'Blockers', unknownSenders: 'Unknown senders' };
const categoryName = (category) => categoryNames[category] ?? category;

function renderPace(dashboard) {
  $('velocity7').textContent = `${number(dashboard.velocity.last7Days, 2)} / day`;
  $('velocity28').textContent = `${number(dashboard.velocity.last28Days, 2)} / day`;
  $('forecast').textContent = text(dashboard.forecast.completionDate);
  $('forecast-basis').textContent = dashboard.forecast.basis;
}

function chart(id, config) {
  if (!window.Chart) return;
  state.charts[id]?.destroy();
  state.charts[id] = new window.Chart($(id), config);
}

function renderBurnDown(dashboard) {
  const points = dashboard.burnDown;
  const labels = points.map((p) => p.date);
  const forecast = forecastLine(dashboard, labels);
  chart('burndown-chart', {
    type: 'line',
    data: {
      labels: forecast.labels,
      datasets: [
        { label: 'Remaining', data: points.map((p) => p.remaining), borderColor: '#0b63c5', pointRadius: 0, tension: 0 },
        ...(points.some((p) => p.planned !== null) ? [{ label: 'Planned (waves)', data: points.map((p) => p.planned), borderColor: '#1d7f46', borderDash: [2, 3], pointRadius: 0 }] : []),
        { label: 'Scope', data: points.map((p) => p.scope), borderColor: '#9fb3c8', pointRadius: 0, tension: 0 },
        { label: 'Forecast', data: forecast.values, borderColor: '#a15c00', borderDash: [6, 4], pointRadius: 0, spanGaps: true },
      ],
    },
    options: {
      animation: false, maintainAspectRatio: false,
      scales: { x: { ticks: { maxTicksLimit: 10, maxRotation: 0 } }, y: { beginAtZero: true } }, plugins: { legend: { position: 'bottom' } },
    },
  });
  $('burndown-table').querySelector('tbody').replaceChildren(...points.map((p) =>
    element('tr', {}, element('td', { text: p.date }), element('td', { className: 'num', text: number(p.remaining) }),
      element('td', { className: 'num', text: number(p.planned, 1) }), element('td', { className: 'num', text: number(p.scope) }))));
}

/** A straight line from today's remaining count to zero at the forecast date. */
function forecastLine(dashboard, labels) {
  const values = labels.map(() => null);
  const end = dashboard.forecast.completionDate;
  if (!end || labels.length === 0 || end <= labels[labels.length - 1]) return { labels, values };
  values[values.length - 1] = dashboard.remaining;
  return { labels: [...labels, end], values: [...values, 0] };
}

const day = (instant) => text(instant).slice(0, 10);

function waveFlags(w) {
  const flags = [];
  if (w.state === 'late') flags.push(['late', 'Late']);
  if (w.mailboxes.stalled > 0) flags.push(['stalled', `${w.mailboxes.stalled} stalled`]);
  if (w.mailboxes.failed > 0) flags.push(['failed', `${w.mailboxes.failed} failed`]);
  if (w.blackouts.length > 0 && w.state !== 'completed') flags.push(['blackout', `Ends in blackout: ${w.blackouts.join(', ')}`]);
  if (w.reschedules.length > 0) {
    const slip = w.reschedules.reduce((sum, r) => sum + r.slipDays, 0);
    flags.push(['slipped', `Rescheduled ${w.reschedules.length}× (${slip > 0 ? '+' : ''}${number(slip, 1)} days): ${w.reschedules[w.reschedules.length - 1].reason}`]);
  }
  return flags;
}

function renderWaves(dashboard) {
  const waves = dashboard.waves;
  $('waves-table').querySelector('tbody').replaceChildren(...waves.map((w) => {
    const fill = element('div', { className: 'fill' });
    fill.style.width = `${w.percentDone}%`;
    const bar = element('div', { className: 'track', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(w.percentDone), 'aria-label': `${w.name} done` }, fill);
    return element('tr', { 'data-wave': w.waveId },
      element('th', { scope: 'row', text: w.name, title: w.description ?? '' }),
      element('td', { text: `${day(w.plannedStart)} → ${day(w.plannedCompletion)}` }),
      element('td', {}, element('div', { className: 'hint', text: `${kebabToWords(w.state)} · ${percent(w.percentDone)}` }), bar),
      element('td', { className: 'num', text: `${w.mailboxes.completed} / ${w.mailboxes.total}` }),
      element('td', { text: text(w.forecastCompletion), title: w.forecastBasis }),
      element('td', {}, ...waveFlags(w).map(([kind, label]) => element('span', { className: `badge ${kind}`, text: label }))));
  }));
  $('waves-empty').hidden = waves.length > 0;
  $('waves-table').hidden = waves.length === 0;
  const select = $('dep-wave');
  const chosen = select.value;
  select.replaceChildren(element('option', { value: '', text: 'All' }), ...waves.map((w) => element('option', { value: w.name, text: w.name })));
  select.value = waves.some((w) => w.name === chosen) ? chosen : '';
}

function renderRisks(dashboard) {
  // Alerts first: what the service raised (and sent to the subscriptions), each since when it has been true.
  const alerts = dashboard.alerts.map((a) =>
    element('li', { className: `risk alert ${a.kind.replaceAll('.', '-')}` }, element('span', { className: 'kind', text: `Alert, ${kebabToWords(a.kind.replaceAll('.', '-'))}: ` }),
      element('span', { className: 'item', text: `since ${a.raisedAt.slice(0, 16).replace('T', ' ')} UTC` }), element('div', { className: 'hint', text: a.detail })));
  $('risks').replaceChildren(...alerts, ...dashboard.risks.map((r) =>
    element('li', { className: `risk ${r.kind}` }, element('span', { className: 'kind', text: `${kebabToWords(r.kind)}: ` }),
      element('span', { className: 'item', text: r.item }), element('div', { className: 'hint', text: r.detail }))));
  $('risks-empty').hidden = dashboard.risks.length + dashboard.alerts.length > 0;
}

function registerButton(transition, sender) {
  const button = element('button', { type: 'button', className: 'register', text: 'Register', 'aria-label': `Register ${sender.remoteIp} as a device` });
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await apiPost(`/api/transitions/${encodeURIComponent(transition)}/relay-discovery/${encodeURIComponent(sender.discoveryId)}/register`, { remoteIps: [sender.remoteIp] });
      await refresh();
      showMessage(`Registered ${sender.hostname ?? sender.remoteIp} as a device.`);
    } catch (error) {
      showMessage(error.message);
      button.disabled = false;
    }
  });
  return button;
}

function renderRelay(transition, senders, dashboard) {
  const past = Boolean(route().asOfDate);
  $('senders-table').querySelector('tbody').replaceChildren(...senders.map((s) => element('tr', { 'data-ip': s.remoteIp },
    element('th', { scope: 'row', text: s.remoteIp }),
    element('td', { text: text(s.hostname) }),
    element('td', { text: `${text(s.connector)}${s.localPort ? ` (:${s.localPort})` : ''}` }),
    element('td', { text: day(s.lastSeen) }),
    element('td', { className: 'num', text: number(s.messagesPerDay), title: `${text(s.busiestDay)}: ${number(s.recipientsPerDay)} recipients; peak ${number(s.peakMessagesPerMinute)}/minute` }),
    element('td', { text: kebabToWords(s.recommendation.method), title: [...s.assumptions, ...s.recommendation.warnings].join(' ') }),
    element('td', {}, past || !s.discoveryId ? '' : registerButton(transition, s)))));
  $('senders-empty').hidden = senders.length > 0;
  $('senders-table').hidden = senders.length === 0;
  $('expiring').replaceChildren(...dashboard.expiringDevices.map((d) => element('li', { className: 'risk device-method-expiring' },
    element('span', { className: 'item', text: d.name }),
    element('div', { className: 'hint', text: `${kebabToWords(d.method)} stops working on ${d.stopsOn}${d.daysLeft > 0 ? ` (in ${d.daysLeft} days)` : ' (it has stopped)'}; then ${[d.recommended, ...d.alternatives].map(kebabToWords).join(', ')}` }))));
  $('expiring-empty').hidden = dashboard.expiringDevices.length > 0;
}

function renderCases(dashboard) {
  const c = dashboard.supportCases;
  const rows = [
    ['Open', number(c.open)], ['Total', number(c.total)], ['Oldest open (days)', number(c.oldestOpenAgeDays, 1)],
    ['Median hours to first response', number(c.medianHoursToFirstResponse, 1)], ['Waiting > 2 days for a first response', number(c.awaitingFirstResponse)],
    ['Opened on a Friday after 4 PM', number(c.openedFridayAfternoon)],
    ...Object.entries(c.byChannel).map(([channel, f]) => [`${channel}: open / total (median h)`, `${f.open} / ${f.total} (${number(f.medianHoursToFirstResponse, 1)})`]),
  ];
  $('cases').replaceChildren(...rows.flatMap(([label, value]) => [element('dt', { text: label }), element('dd', { text: value })]));
  $('cases-empty').hidden = c.total > 0;
  $('cases').hidden = c.total === 0;
}

const PAGE = 500;

/** The list comes in pages of 500: the first, or as many as were shown before a refresh; more on request. */
function dependenciesPath(transition) {
  const shown = Math.min(5000, Math.max(PAGE, state.dependencies?.transition === transition ? state.dependencies.items.length : 0));
  return `/api/transitions/${encodeURIComponent(transition)}/dependencies?limit=${shown}`;
}

async function moreDependencies() {
  const dependencies = state.dependencies;
  const more = await api(`/api/transitions/${encodeURIComponent(dependencies.transition)}/dependencies?limit=${PAGE}&after=${encodeURIComponent(dependencies.next)}`);
  dependencies.items.push(...more.items);
  dependencies.next = more.next;
  filterDependencies();
}

function renderDependencies(transition, dependencies) {
  state.dependencies = { ...dependencies, transition };
  const verdict = $('verdict');
  verdict.className = `verdict ${dependencies.exchangeCanBeDecommissioned ? 'yes' : 'no'}`;
  verdict.textContent = dependencies.exchangeCanBeDecommissioned
    ? 'Exchange can be decommissioned.'
    : `Exchange cannot be decommissioned yet: ${dependencies.why.join('; ')}.`;
  const select = $('dep-category');
  const chosen = select.value;
  select.replaceChildren(element('option', { value: '', text: 'All' }),
    ...Object.keys(categoryNames).map((c) => element('option', { value: c, text: `${categoryName(c)} (${dependencies.byCategory[c]})` })));
  select.value = chosen;
  filterDependencies();
}

function filterDependencies() {
  const dependencies = state.dependencies;
  if (!dependencies) return;
  const needle = $('dep-filter').value.trim().toLowerCase();
  const category = $('dep-category').value;
  const wave = $('dep-wave').value;
  const items = dependencies.items.filter((i) => (!category || i.category === category) && (!wave || i.wave === wave)
    && (!needle || `${i.name} ${i.reason} ${i.unblockedBy}`.toLowerCase().includes(needle)));
  const groups = Object.keys(categoryNames).map((c) => [c, items.filter((i) => i.category === c)]).filter(([, list]) => list.length > 0);
  const open = new Set([...$('dependencies').querySelectorAll('details[open]')].map((d) => d.dataset.category));
  $('dependencies').replaceChildren(...groups.map(([c, list]) => element('details', {
    className: 'dep-group', 'data-category': c, ...(list.length <= 15 || needle || category || wave || open.has(c) ? { open: '' } : {}),
  },
    element('summary', { text: `${categoryName(c)} (${list.length})` }),
    element('div', { className: 'scroll' }, element('table', {},
      element('thead', {}, element('tr', {}, element('th', { scope: 'col', text: 'Name' }), element('th', { scope: 'col', text: 'Why it remains' }), element('th', { scope: 'col', text: 'What clears it' }))),
      element('tbody', {}, ...list.map((i) => element('tr', {}, element('td', { text: i.name }), element('td', { text: i.reason }), element('td', { text: i.unblockedBy })))))))));
  $('deps-empty').hidden = dependencies.total > 0;
  $('deps-shown').hidden = !dependencies.next;
  $('deps-shown').textContent = `Showing ${number(dependencies.items.length)} of ${number(dependencies.total)}; filters apply to those shown.`;
  $('deps-more').hidden = !dependencies.next;
}

function renderRoles(impacts) {
  const roles = impacts.roles;
  chart('roles-chart', {
    type: 'bar',
    data: {
      labels: roles.map((r) => kebabToWords(r.role)),
      datasets: [
        { label: 'Baseline', data: roles.map((r) => r.baseline), backgroundColor: '#9fb3c8' },
        { label: 'Now', data: roles.map((r) => r.current), backgroundColor: '#0b63c5' },
      ],
    },
    options: {
      animation: false, maintainAspectRatio: false, scales: { y: { beginAtZero: true } },
      plugins: { legend: { position: 'bottom' }, tooltip: { callbacks: { afterBody: (items) => roles[items[0].dataIndex].drivers } } },
    },
  });
  const open = new Set([...$('roles-table').querySelectorAll('details[open]')].map((d) => d.dataset.role));
  $('roles-table').querySelector('tbody').replaceChildren(...roles.map((r) => {
    const drivers = element('details', { 'data-role': r.role }, element('summary', { text: `${r.trend} (${r.drivers.length} driver${r.drivers.length === 1 ? '' : 's'})` }),
      element('ul', {}, ...r.drivers.map((d) => element('li', { text: d }))));
    if (open.has(r.role)) drivers.open = true;
    return element('tr', { 'data-role': r.role }, element('th', { scope: 'row', text: kebabToWords(r.role) }),
      element('td', { className: 'num', text: number(r.baseline, 1) }), element('td', { className: 'num', text: number(r.current, 1) }),
      element('td', { className: 'num', text: `${r.change > 0 ? '+' : ''}${number(r.change, 1)}` }), element('td', {}, drivers));
  }));
}

async function showTransition(id) {
  const path = `/api/transitions/${encodeURIComponent(id)}`;
  const [dashboard, dependencies, impacts, senders] = await Promise.all([api(`${path}/dashboard`), api(dependenciesPath(id)), api(`${path}/role-impacts`),
    api(`${path}/relay-senders?status=unknown`)]);
  showOnly('transition');
  $('transition-title').textContent = dashboard.organisation || 'Transition';
  $('summary').textContent = `Phase: ${kebabToWords(dashboard.phase)} · ${percent(dashboard.percentDone)} done · ${number(dashboard.remaining)} dependencies remain`;
  renderProgress(dashboard);
  renderPace(dashboard);
  renderBurnDown(dashboard);
  renderWaves(dashboard);
  renderRisks(dashboard);
  renderRelay(id, senders, dashboard);
  renderCases(dashboard);
  renderDependencies(id, dependencies);
  renderRoles(impacts);
}

// ---- the page
async function refresh() {
  const signInError = new URLSearchParams(location.search).get('signin-error');
  if (signInError) {
    history.replaceState(null, '', `/${location.hash}`);
    askForKey(signInError);
    return;
  }
  if (!state.me) {
    try {
      if (!sessionStorage.getItem(KEY) && !(await api('/auth/session', { current: true })).signedIn) { askForKey(); return; }
      state.me = await api('/api/me', { current: true });
    } catch (error) {
      if (error instanceof Refused) { askForKey(sessionStorage.getItem(KEY) ? error.message : null); return; }
      showMessage(error.message);
      return;
    }
    if (!state.me.keyId) localStorage.setItem(TENANT, state.me.tenant);
    showWho();
  }
  const { transition, asOfDate } = route();
  $('as-of').value = asOfDate ?? '';
  $('past').hidden = !asOfDate;
  $('past').textContent = asOfDate ? `Looking at the past: as it stood at the end of ${asOfDate} (UTC). Select “Now” for live figures.` : '';
  const scroll = window.scrollY;
  try {
    if (transition) await showTransition(transition); else await showPortfolio();
    showMessage(null);
    window.scrollTo(0, scroll);
  } catch (error) {
    if (error instanceof Refused) askForKey(error.message);
    else showMessage(error.message);
  }
}

function wire() {
  $('key-form').addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem(KEY, $('key').value.trim());
    $('key').value = '';
    state.me = null;
    refresh();
  });
  // A navigation, not a form post: the page's CSP lets forms post only to itself, and sign-in goes on to the identity provider.
  $('sign-in-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const tenant = $('sign-in-tenant').value.trim();
    localStorage.setItem(TENANT, tenant);
    location.href = `/auth/signin?tenant=${encodeURIComponent(tenant)}&returnUrl=${encodeURIComponent(`/${location.hash}`)}`;
  });
  $('change-key').addEventListener('click', () => askForKey());
  $('sign-out').addEventListener('click', () => signOut().catch((error) => showMessage(error.message)));
  $('tenant-picker').addEventListener('change', () => switchTenant($('tenant-picker').value).catch((error) => showMessage(error.message)));
  $('as-of-form').addEventListener('submit', (event) => { event.preventDefault(); go(route().transition, $('as-of').value || null); });
  $('live').addEventListener('click', () => go(route().transition, null));
  $('dep-filter').addEventListener('input', filterDependencies);
  $('dep-category').addEventListener('change', filterDependencies);
  $('dep-wave').addEventListener('change', filterDependencies);
  $('deps-more').addEventListener('click', () => moreDependencies().catch((error) => showMessage(error.message)));
  const transitionPath = () => `/api/transitions/${encodeURIComponent(route().transition)}`;
  const downloads = {
    'status-report': () => download(`${transitionPath()}/report`, 'application/pdf'),
    'dependencies-csv': () => download(`${transitionPath()}/dependencies`, 'text/csv'),
    'mailboxes-csv': () => download(`${transitionPath()}/mailboxes`, 'text/csv'),
    'portfolio-report': () => download('/api/portfolio/report', 'application/pdf'),
    'portfolio-csv': () => download('/api/portfolio', 'text/csv'),
  };
  for (const [id, run] of Object.entries(downloads)) $(id).addEventListener('click', () => run().catch((error) => showMessage(error.message)));
  for (const button of $('portfolio-table').querySelectorAll('th button')) {
    button.addEventListener('click', () => {
      const field = button.dataset.sort;
      state.sort = { field, direction: state.sort.field === field ? -state.sort.direction : 1 };
      renderPortfolio();
    });
  }
  window.addEventListener('hashchange', refresh);
  setInterval(refresh, REFRESH_MS);
}

wire();
refresh();
